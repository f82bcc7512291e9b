import time
from types import SimpleNamespace

from django.test import override_settings
from django.urls import reverse

from hardship import sessions
from hardship.sessions import SEEN, STARTED


def signed_in(client, user):
    user.set_password("a-long-password-42")
    user.save()
    client.post(reverse("login"), {"username": user.username, "password": "a-long-password-42"})
    assert client.get(reverse("dashboard")).status_code == 200


def rewind(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


@override_settings(SESSION_IDLE_SECONDS=600)
def test_a_session_idle_too_long_ends(client, caseworker_g1a):
    signed_in(client, caseworker_g1a)
    rewind(client, SEEN, 601)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@override_settings(SESSION_IDLE_SECONDS=600, SESSION_ABSOLUTE_SECONDS=3600)
def test_an_active_session_still_ends_after_the_absolute_limit(client, caseworker_g1a):
    signed_in(client, caseworker_g1a)
    rewind(client, STARTED, 3601)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302


@override_settings(SESSION_IDLE_SECONDS=600)
def test_activity_keeps_a_session_alive(client, caseworker_g1a):
    signed_in(client, caseworker_g1a)
    rewind(client, SEEN, 300)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[SEEN] >= int(time.time()) - 5


class Clock:
    """The clock hardship.sessions reads, moved by hand."""

    def __init__(self, monkeypatch):
        self.time = int(time.time())
        monkeypatch.setattr(sessions, "time", SimpleNamespace(time=lambda: self.time))

    def advance(self, seconds):
        self.time += seconds


@override_settings(SESSION_IDLE_SECONDS=600)
def test_the_idle_timeout_counts_from_the_last_request_to_the_second(
    client, caseworker_g1a, monkeypatch
):
    clock = Clock(monkeypatch)
    signed_in(client, caseworker_g1a)
    clock.advance(30)
    assert client.get(reverse("dashboard")).status_code == 200  # the last activity

    clock.advance(600)  # exactly the idle limit since then: still signed in
    assert client.get(reverse("dashboard")).status_code == 200

    clock.advance(601)  # one second more than the limit since the request above
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
