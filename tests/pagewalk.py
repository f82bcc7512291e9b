"""Every page of the authorisation matrix (tests/security/test_authorisation_matrix.py), as
the person who uses it: for each named URL, the first role in ROLE_ORDER whose GET the
matrix answers 200. Because the list is read from the matrix, a page added there is
checked here too (tests/test_markup.py: the Nu Html Checker; tests/browser: axe-core).
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from security.test_authorisation_matrix import EXPECTED, ROUTES
from securitykit import ANONYMOUS, call, sign_in, url_for

# Who "uses" a page: the people who do the work first, the anonymous visitor last.
ROLE_ORDER = [
    "caseworker_g1a",
    "chair_g1a",
    "reviewer_c1",
    "committee_c1",
    "finance_c1",
    "auditor_fed",
    "admin_fed",
    "worker_g1a",
    "caseworker_g2a",
    "outsider",
    ANONYMOUS,
]
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
NOT_INSTALLED = "the page checkers are npm packages: run `npm ci` (part of `make install`)"


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: str


def matrix_pages(world) -> list[Page]:
    pages = []
    for route in ROUTES:
        answers = EXPECTED[route.name, "GET"]
        role = next((r for r in ROLE_ORDER if answers[r] == 200), None)
        if role is not None:
            pages.append(Page(route.name, role, url_for(route, world)))
    return pages


def html_pages(client, world) -> list[tuple[Page, str]]:
    """The matrix's pages that answer a whole HTML document (not a PDF, a workbook, the
    health probe or an htmx fragment), with their HTML, rendered by the test client."""
    found = []
    for page in matrix_pages(world):
        sign_in(client, world.users.get(page.role))
        response = call(client, "GET", page.url)
        assert response.status_code == 200, (page, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        if html.lstrip().lower().startswith("<!doctype html>"):
            found.append((page, html))
    return found
