"""Who may open and change what, for every page and every role.

The target is household_g1a: an in-file household of G1a with an illness cause and a
diagnosis certificate, not belonging to any signed-in person. A record outside the user's
scope answers 404 (its existence is not revealed); a record inside the scope that the role
may not change answers 403; nothing ever answers 500 (the test client would raise).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import make_id_number
from formdata import PDF_BYTES, aid_plan_data, household_data, household_edit_data

from households.models import AidMeasure, Evidence, HardshipCause, Household

OK = "ok"

ROLES = [
    "caseworker_g1a",
    "chair_g1a",
    "reviewer_c1",
    "caseworker_g2a",
    "committee_c1",
    "finance_c1",
    "auditor_fed",
    "admin_fed",
    "worker_g1a",
    "outsider",
]

# Opening household_g1a (and its evidence).
READ = {
    "caseworker_g1a": OK,
    "chair_g1a": OK,
    "reviewer_c1": OK,
    "committee_c1": OK,
    "finance_c1": OK,
    "auditor_fed": OK,
    "caseworker_g2a": 404,  # a sibling union's file
    "admin_fed": 404,  # manages users and policy, does not read files
    "worker_g1a": 404,  # someone else's file
    "outsider": 404,
}
# Changing household_g1a: its file, aid plan and evidence.
WRITE = READ | {"committee_c1": 403, "finance_c1": 403, "auditor_fed": 403}
# Downloading its evidence (diagnoses, disability certificates): health details, needed by
# those who file and decide, not by finance or audit.
DOWNLOAD = READ | {"finance_c1": 403, "auditor_fed": 403}
# Filing a new household in one's own grassroots union.
CREATE = {role: 403 for role in ROLES} | {
    "caseworker_g1a": OK,
    "chair_g1a": OK,
    "reviewer_c1": OK,
    "caseworker_g2a": OK,
}


EVERYONE = dict.fromkeys(ROLES, OK)


@dataclass
class Page:
    name: str
    method: str
    url: Callable  # Context -> str
    rules: dict
    data: Callable = lambda ctx: {}  # Context -> POST body

    @property
    def ok(self) -> int:
        """The answer when allowed: a page, or a redirect after a successful write."""
        return 200 if self.method == "get" else 302


def household_url(route):
    return lambda ctx: reverse(route, args=[ctx.household.pk])


def evidence_url(route):
    return lambda ctx: reverse(route, args=[ctx.evidence.pk])


def create_data(ctx):
    union = ctx.org.g2a if ctx.role == "caseworker_g2a" else ctx.org.g1a
    return household_data(union=union, id_number=make_id_number(seq=77), worker_name="新建户")


def edit_data(ctx):
    return household_edit_data(ctx.household, worker_name="张建国（已核实）")


def plan_data(ctx):
    return aid_plan_data([{"cause": "illness", "measure": "medical", "detail": "住院救助"}])


def upload_data(ctx):
    return {
        "cause": "illness",
        "kind": "medical_bills",
        "file": SimpleUploadedFile("住院发票.pdf", PDF_BYTES, "application/pdf"),
    }


CREATE_URL = lambda ctx: reverse("household_create")  # noqa: E731

PAGES = [
    Page("dashboard", "get", lambda ctx: reverse("dashboard"), EVERYONE),
    Page("household_list", "get", lambda ctx: reverse("household_list"), EVERYONE),
    Page("household_detail", "get", household_url("household_detail"), READ),
    Page("household_create_get", "get", CREATE_URL, CREATE),
    Page("household_create_post", "post", CREATE_URL, CREATE, create_data),
    Page("household_edit_get", "get", household_url("household_edit"), WRITE),
    Page("household_edit_post", "post", household_url("household_edit"), WRITE, edit_data),
    Page("aid_plan_get", "get", household_url("aid_plan_edit"), WRITE),
    Page("aid_plan_post", "post", household_url("aid_plan_edit"), WRITE, plan_data),
    Page("evidence_upload", "post", household_url("evidence_upload"), WRITE, upload_data),
    Page("evidence_download", "get", evidence_url("evidence_download"), DOWNLOAD),
    Page("evidence_delete", "post", evidence_url("evidence_delete"), WRITE),
]


@dataclass
class Context:
    role: str
    org: object
    household: Household
    evidence: Evidence


def snapshot():
    """Everything the write pages could change."""
    return (
        Household.objects.count(),
        sorted(Household.objects.values_list("worker_name", flat=True)),
        AidMeasure.objects.count(),
        sorted(Evidence.objects.values_list("kind", flat=True)),
    )


def call(client, page, ctx):
    if page.method == "get":
        return client.get(page.url(ctx))
    return client.post(page.url(ctx), page.data(ctx))


@pytest.fixture
def ctx(org, household_g1a, evidence_g1a):
    return lambda role: Context(role, org, household_g1a, evidence_g1a)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_each_role_gets_exactly_what_its_scope_allows(client, request, ctx, page, role):
    user = request.getfixturevalue(role)
    context = ctx(role)
    client.force_login(user)
    before = snapshot()

    response = call(client, page, context)

    expected = page.ok if page.rules[role] == OK else page.rules[role]
    assert response.status_code == expected
    if page.method == "post":
        # A refused write changes nothing; an allowed one changes something.
        assert (snapshot() == before) is (expected != page.ok)
    if expected == 302:
        assert not response["Location"].startswith(reverse("login"))
    if page.name == "evidence_download" and expected == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        response.close()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_anonymous_visitor_is_sent_to_login_everywhere(client, ctx, page):
    context = ctx("anonymous")
    before = snapshot()

    response = call(client, page, context)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert snapshot() == before


# A worker and their own file: readable; evidence may be added for their applications,
# nothing else may be changed --------------------------------------------------------

OWN_FILE_PAGES = {
    "household_detail": 200,
    "evidence_download": 200,
    "household_edit_get": 403,
    "household_edit_post": 403,
    "aid_plan_get": 403,
    "aid_plan_post": 403,
    "evidence_upload": 302,
    "evidence_delete": 403,
}
# Exited and cancelled files are kept as they were, for everyone.
CLOSED_FILE_PAGES = OWN_FILE_PAGES | {"evidence_upload": 403}


def page_named(names):
    return pytest.mark.parametrize(
        "page", [p for p in PAGES if p.name in names], ids=lambda p: p.name
    )


def close(household, status):
    Household.objects.filter(pk=household.pk).update(
        status=status, **{"exited_on" if status == "exited" else "cancelled_on": "2025-01-31"}
    )
    household.refresh_from_db()


@pytest.fixture
def own_evidence(worker_household, media_root):
    HardshipCause.objects.create(household=worker_household, cause="illness")
    evidence = Evidence(
        household=worker_household,
        cause="illness",
        kind="diagnosis",
        original_name="诊断.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    evidence.file.save("x", ContentFile(PDF_BYTES), save=True)
    return evidence


@page_named(OWN_FILE_PAGES)
def test_worker_can_read_their_own_file_and_only_add_evidence_to_it(
    client, org, worker_g1a, worker_household, own_evidence, page
):
    client.force_login(worker_g1a)
    before = snapshot()

    response = call(client, page, Context("worker_g1a", org, worker_household, own_evidence))

    expected = OWN_FILE_PAGES[page.name]
    assert response.status_code == expected
    assert (snapshot() == before) is (expected != 302)


@pytest.mark.parametrize("status", ["exited", "cancelled"])
@page_named(CLOSED_FILE_PAGES)
def test_caseworker_cannot_change_a_closed_file(
    client, org, caseworker_g1a, household_g1a, evidence_g1a, status, page
):
    close(household_g1a, status)
    client.force_login(caseworker_g1a)
    before = snapshot()

    response = call(client, page, Context("caseworker_g1a", org, household_g1a, evidence_g1a))

    assert response.status_code == CLOSED_FILE_PAGES[page.name]
    assert snapshot() == before
    if page.name == "household_detail":
        assert "该档案已脱困或注销，只读。" in response.content.decode()


@page_named(CLOSED_FILE_PAGES)
def test_worker_cannot_change_their_own_closed_file(
    client, org, worker_g1a, worker_household, own_evidence, page
):
    close(worker_household, "exited")
    client.force_login(worker_g1a)
    before = snapshot()

    response = call(client, page, Context("worker_g1a", org, worker_household, own_evidence))

    assert response.status_code == CLOSED_FILE_PAGES[page.name]
    assert snapshot() == before
