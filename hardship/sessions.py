"""Idle and absolute session timeouts (ASVS 7.3): a session ends after a period without
activity, and in any case a working day after sign-in."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

STARTED, SEEN = "_session_started", "_session_seen"


def now() -> int:
    """The clock, in whole seconds."""
    return int(time.time())


@receiver(user_logged_in)
def _mark_start(sender, request, user, **kwargs):
    request.session[STARTED] = request.session[SEEN] = now()


class SessionTimeoutMiddleware:
    """A session idle for more than SESSION_IDLE_SECONDS ends, to the second: the time of
    the last request is written whenever it moves on (at most once a second), so the
    idle time is measured from the true last activity, never from an older one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            current = now()
            started = request.session.get(STARTED, current)
            seen = request.session.get(SEEN, current)
            if (
                current - seen > settings.SESSION_IDLE_SECONDS
                or current - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
            else:
                request.session.setdefault(STARTED, started)
                if request.session.get(SEEN) != current:
                    request.session[SEEN] = current
        return self.get_response(request)
