"""The load balancer's probe."""

from django.db import DatabaseError, connections


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    def unavailable(self, *args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "cursor", unavailable)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
