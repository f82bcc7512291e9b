"""Security headers on every answer of every URL; production cookie flags; the login
lock-out by user name and address together, behind a proxy, and its cool-off.

(The plain lock-out cases — user A locked at one address, A elsewhere and B at the same
address not — are in tests/hardship/test_login.py; here they run behind a proxy, where
every request comes from the proxy's own address.)"""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from factories import UserFactory
from securitykit import ROLES, call, named_routes, sign_in, url_for

from security.test_authorisation_matrix import EXPECTED

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ROUTES = named_routes()


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response, where):
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    policy = csp_directives(response["Content-Security-Policy"])
    script_src = policy.get("script-src", policy.get("default-src"))
    assert script_src == ["'self'"], (where, script_src)
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []), (where, directive)
        assert "'unsafe-eval'" not in policy.get(directive, []), (where, directive)
    assert policy["object-src"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["base-uri"] == ["'self'"], where


# Markup the policy would block: inline scripts, inline event handlers, inline styles.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style[\s>]", re.I)


def people_for(route) -> list[str | None]:
    """Someone who may open the URL (from the matrix), someone refused, and the anonymous:
    so that pages, refusals and redirects of every URL are all looked at."""
    allowed = [role for role in ROLES if EXPECTED[route.name, "GET"][role] == 200]
    return [*allowed[:1], "outsider", None]


def test_every_answer_of_every_url_carries_the_security_headers(client, world):
    """Pages, redirects, refusals, files and fragments alike, for GET and POST; and no page
    holds markup the policy would block (it would simply not work)."""
    client.raise_request_exception = False
    pages = set()
    for route in ROUTES:
        url = url_for(route, world)
        for role in people_for(route):
            sign_in(client, world.users[role] if role else None)
            for method in ("GET", "POST"):
                response = call(client, method, url)
                where = (role, route.name, method, response.status_code)
                assert response.status_code < 500, where
                assert_security_headers(response, where)
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    html = response.content.decode()
                    assert not INLINE_SCRIPT.search(html), (where, INLINE_SCRIPT.search(html))
                    assert not EVENT_HANDLER.search(html), (where, EVENT_HANDLER.search(html))
                    assert not INLINE_STYLE.search(html), (where, INLINE_STYLE.search(html))
                    pages.add(route.name)
    assert len(pages) >= 40


# Answers 200 only once a roster has been uploaded in the same session; without one it
# redirects to the import page (and that redirect is checked above).
NEEDS_AN_UPLOAD = {"roster_import_errors"}
# The world's contact is already matched to a household, so its "draft file" form redirects
# to that file; the form itself is walked by tests/intake and the front door's browser journey.
ALREADY_DONE_IN_THE_WORLD = {"intake_household"}


def test_every_page_someone_may_open_was_checked():
    """Each URL in the walk answers 200 to a GET for at least one role or is POST-only,
    so the header test above saw every page (not only refusals)."""
    for route in ROUTES:
        answers = [EXPECTED[route.name, "GET"][role] for role in ROLES]
        if route.name in NEEDS_AN_UPLOAD | ALREADY_DONE_IN_THE_WORLD:
            assert 200 not in answers, "now opened in the world: drop it from the exceptions"
            continue
        assert 200 in answers or set(answers) <= {302, 405}, route.name


def test_an_error_page_carries_them_too(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response, "404")


# Cookies in production ------------------------------------------------------------------


def production_settings(tmp_path, *names):
    """The named settings as a production start (DEBUG=0) computes them."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        VAR_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        INTEGRITY_HMAC_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="hardship.example.org",
    )
    code = "from django.conf import settings; " + "; ".join(
        f"print({name!r}, repr(settings.{name}))" for name in names
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line)
    return {name: values[name] for name in names}


def test_production_cookies_are_secure_and_http_only(tmp_path):
    values = production_settings(
        tmp_path,
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SECURE_SSL_REDIRECT",
    )
    assert values == dict.fromkeys(values, "True")


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_the_cookies_are_sent_with_those_flags(client, caseworker_g1a):
    """What the settings above mean on the wire: the login page's CSRF cookie and the
    session cookie after signing in carry Secure and HttpOnly (and no lifetime)."""
    caseworker_g1a.set_password("a-long-password-42")
    caseworker_g1a.save()
    page = client.get(reverse("login"))
    csrf = page.cookies["csrftoken"]
    response = client.post(
        reverse("login"),
        {
            "username": "caseworker_g1a",
            "password": "a-long-password-42",
            "csrfmiddlewaretoken": csrf.value,
        },
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["secure"] is True, cookie.key
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
    assert not session["max-age"] and not session["expires"]  # gone when the browser closes


# Lock-out --------------------------------------------------------------------------------

PASSWORD = "correct horse battery"  # tests/factories.py
PROXY = "10.0.0.254"  # the reverse proxy: every request arrives from here
OFFICE = "203.0.113.7"  # an office behind one NAT address
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def users(org):
    return UserFactory(username="user_a"), UserFactory(username="user_b")


def login(client, username, password, *, forwarded):
    client.logout()
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


def lock(client, username, forwarded):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, "wrong password", forwarded=forwarded)
    assert login(client, username, PASSWORD, forwarded=forwarded).status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lock_is_per_user_and_forwarded_address(client, users):
    lock(client, "user_a", OFFICE)

    # Still locked from the office, whatever the client writes in front of the address
    # the proxy saw.
    assert login(client, "user_a", PASSWORD, forwarded=f"{ELSEWHERE}, {OFFICE}").status_code == 429
    # The same user from another address, through the same proxy, signs in.
    assert signed_in(login(client, "user_a", PASSWORD, forwarded=ELSEWHERE))
    # A colleague behind the same office address signs in.
    assert signed_in(login(client, "user_b", PASSWORD, forwarded=OFFICE))
    # Attempts were counted by the forwarded address, not the proxy's.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) <= {OFFICE, ELSEWHERE}


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lock(client, users):
    lock(client, "user_a", OFFICE)
    # Everything arrives from PROXY's address: a new X-Forwarded-For changes nothing.
    assert login(client, "user_a", PASSWORD, forwarded=ELSEWHERE).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_lock_lifts_after_the_cool_off(client, users):
    """With the configured cool-off (AXES_COOLOFF_MINUTES, 15 by default): the failures are
    moved back in time rather than waited for."""
    cool_off = settings.AXES_COOLOFF_TIME
    assert timedelta(minutes=1) < cool_off <= timedelta(hours=1)
    lock(client, "user_a", OFFICE)

    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off + timedelta(minutes=1))
    assert login(client, "user_a", PASSWORD, forwarded=OFFICE).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))
    response = login(client, "user_a", PASSWORD, forwarded=OFFICE)
    assert signed_in(response)
    # A success clears the count: one more mistake does not lock again at once.
    assert login(client, "user_a", "wrong password", forwarded=OFFICE).status_code == 200
    assert signed_in(login(client, "user_a", PASSWORD, forwarded=OFFICE))


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_COOLOFF_TIME=timedelta(seconds=1))
def test_a_short_cool_off_really_expires_with_time(client, users):
    """The same on the clock, with a one-second cool-off."""
    import time

    lock(client, "user_a", OFFICE)
    time.sleep(1.2)
    assert signed_in(login(client, "user_a", PASSWORD, forwarded=OFFICE))
