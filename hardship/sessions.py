"""Idle and absolute session timeouts (ASVS 7.3): a session ends after a period without
activity, and in any case a working day after sign-in."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

STARTED, SEEN = "_session_started", "_session_seen"


@receiver(user_logged_in)
def _mark_start(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
            else:
                request.session.setdefault(STARTED, started)
                # Write at most once a minute, not on every request.
                if now - seen >= 60 or SEEN not in request.session:
                    request.session[SEEN] = now
        return self.get_response(request)
