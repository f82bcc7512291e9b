"""A newcomer never sees Django's technical 404 page (it lists every URL of the site):
with DEBUG on, as in `make demo`, a missing page and another union's record answer with
the project's own Chinese page, as production does."""

import pytest
from django.test import override_settings
from django.urls import reverse

TECHNICAL = "Using the URLconf defined in"


@pytest.fixture
def debug_client(client):
    """A client whose handler is built with DEBUG on (middleware is chosen at that point)."""
    with override_settings(DEBUG=True):
        yield client


def project_404(response) -> bool:
    page = response.content.decode()
    return response.status_code == 404 and "页面不存在" in page and TECHNICAL not in page


def test_with_debug_on_a_missing_page_is_the_projects_own_404(debug_client, caseworker_g1a):
    debug_client.force_login(caseworker_g1a)
    assert project_404(debug_client.get("/no-such-page/"))
    debug_client.logout()
    assert project_404(debug_client.get("/no-such-page/"))


def test_with_debug_on_another_unions_record_is_the_projects_own_404(
    debug_client, caseworker_g2a, household_g1a
):
    debug_client.force_login(caseworker_g2a)
    response = debug_client.get(reverse("household_detail", args=[household_g1a.pk]))
    assert project_404(response)
    assert "Raised by" not in response.content.decode()


def test_with_debug_off_it_is_the_same_page(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert project_404(client.get("/no-such-page/"))
