"""Every page of the approval chain, for every role: allowed in scope, 404 outside it (the
record's existence is not revealed), 403 where the role may not, a login redirect for the
anonymous; never a 500 (the test client would raise)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from casekit import act, file
from django.urls import reverse
from django.utils import timezone

from cases.models import Application, Investigation, Notice, Objection
from households.models import Household

pytestmark = pytest.mark.django_db

State = Application.State
OK = "ok"

ROLES = [
    "caseworker_g1a",
    "chair_g1a",
    "reviewer_c1",
    "reviewer2_c1",  # a second reviewer of C1 who had no part in the application
    "committee_c1",
    "finance_c1",
    "auditor_fed",
    "admin_fed",
    "caseworker_g2a",
    "worker_g1a",
    "outsider",
]
OUT_OF_SCOPE = {"caseworker_g2a": 404, "admin_fed": 404, "worker_g1a": 404, "outsider": 404}
# Reading an application of household_g1a.
READ = {role: OK for role in ROLES} | OUT_OF_SCOPE
# Filing one for household_g1a: those who may edit the file.
CREATE = READ | {"committee_c1": 403, "finance_c1": 403, "auditor_fed": 403}
# Resubmitting a returned application: its filer only.
RESUBMIT = {role: 403 for role in ROLES} | OUT_OF_SCOPE | {"caseworker_g1a": OK}
# Acting at grassroots review: the chair only.
ACT = {role: 403 for role in ROLES} | OUT_OF_SCOPE | {"chair_g1a": OK}
# Recording an investigation at company verification: the company reviewer only.
INVESTIGATE = {role: 403 for role in ROLES} | OUT_OF_SCOPE | {"reviewer_c1": OK, "reviewer2_c1": OK}
# Notices are posted to the whole company (and read by the federation above it).
# Administrators run the system and read no cases: notices are not theirs to see.
# The auditor reads them and objects to nothing.
LODGE = {role: OK for role in ROLES} | {
    "caseworker_g2a": 404,
    "outsider": 404,
    "admin_fed": 404,
    "auditor_fed": 403,
}
# Objections are settled by a company reviewer who had no part in the application: not
# reviewer_c1, who verified it, nor the caseworker who filed it and lodged the objection.
RESOLVE = {role: 403 for role in ROLES} | {
    "caseworker_g2a": 404,
    "outsider": 404,
    "admin_fed": 404,
    "reviewer2_c1": OK,
}
EVERYONE = {role: OK for role in ROLES}


@dataclass
class Page:
    name: str
    method: str
    state: str  # the state the application of household_g1a is put in first
    url: Callable
    rules: dict
    data: Callable = lambda ctx: None
    ok: int = 200
    done: Callable = lambda ctx: True  # what an allowed request changed


def returned(ctx):
    act(ctx.staff["chair"], ctx.application, "return", "请补充。")


def objection(ctx):
    return Objection.objects.get_or_create(
        notice=Notice.objects.get(application=ctx.application),
        defaults={"reason": "收入不实。", "lodged_by": ctx.staff["caseworker"]},
    )[0]


def visit(ctx):
    return {
        "method": "home_visit",
        "visited_on": timezone.localdate().isoformat(),
        "investigators": "孙复核",
        "findings": "入户核实。",
    }


def state_now(ctx):
    ctx.application.refresh_from_db()
    return ctx.application.state


PAGES = [
    Page(
        "application_list",
        "get",
        State.SUBMITTED,
        lambda ctx: reverse("application_list"),
        EVERYONE,
    ),
    Page("inbox", "get", State.SUBMITTED, lambda ctx: reverse("inbox"), EVERYONE),
    Page(
        "application_detail",
        "get",
        State.SUBMITTED,
        lambda ctx: ctx.application.get_absolute_url(),
        READ,
    ),
    Page(
        "application_create",
        "get",
        State.SUBMITTED,
        lambda ctx: reverse("application_create", args=[ctx.application.household_id]),
        CREATE,
    ),
    Page(
        "application_create_post",
        "post",
        State.SUBMITTED,
        lambda ctx: reverse("application_create", args=[ctx.application.household_id]),
        CREATE,
        data=lambda ctx: {"kind": "emergency", "reason": "生活困难。", "amount": "1000"},
        ok=302,
        done=lambda ctx: Application.objects.count() == 2,
    ),
    Page(
        "application_resubmit",
        "get",
        State.RETURNED,
        lambda ctx: reverse("application_resubmit", args=[ctx.application.pk]),
        RESUBMIT,
    ),
    Page(
        "application_resubmit_post",
        "post",
        State.RETURNED,
        lambda ctx: reverse("application_resubmit", args=[ctx.application.pk]),
        RESUBMIT,
        data=lambda ctx: {"reason": "已补充。", "amount": "4000"},
        ok=302,
        done=lambda ctx: state_now(ctx) == State.SUBMITTED,
    ),
    Page(
        "application_act",
        "post",
        State.SUBMITTED,
        lambda ctx: reverse("application_act", args=[ctx.application.pk]),
        ACT,
        data=lambda ctx: {"action": "approve", "comment": "", "expected_state": "submitted"},
        ok=302,
        done=lambda ctx: state_now(ctx) == State.GRASSROOTS_APPROVED,
    ),
    Page(
        "investigation_add",
        "post",
        State.GRASSROOTS_APPROVED,
        lambda ctx: reverse("investigation_add", args=[ctx.application.pk]),
        INVESTIGATE,
        data=visit,
        ok=302,
        done=lambda ctx: Investigation.objects.filter(application=ctx.application).exists(),
    ),
    Page(
        "application_print",
        "get",
        State.IN_NOTICE,
        lambda ctx: reverse("application_print", args=[ctx.application.pk]),
        READ,
    ),
    Page(
        "household_snapshot",
        "get",
        State.GRASSROOTS_APPROVED,
        lambda ctx: reverse(
            "household_snapshot",
            args=[ctx.application.pk, ctx.application.decisions.get(action="approve").pk],
        ),
        READ,
    ),
    Page("notice_list", "get", State.IN_NOTICE, lambda ctx: reverse("notice_list"), EVERYONE),
    Page(
        "objection_lodge",
        "post",
        State.IN_NOTICE,
        lambda ctx: reverse("objection_lodge", args=[ctx.application.notice.pk]),
        LODGE,
        data=lambda ctx: {"reason": "该户新购小汽车。"},
        ok=302,
        done=lambda ctx: Objection.objects.filter(lodged_by=ctx.user).exists(),
    ),
    Page(
        "objection_resolve",
        "post",
        State.IN_NOTICE,
        lambda ctx: reverse("objection_resolve", args=[objection(ctx).pk]),
        RESOLVE,
        data=lambda ctx: {"outcome": "dismiss", "resolution": "经核实不属实。"},
        ok=302,
        done=lambda ctx: Objection.objects.get().status == Objection.Status.DISMISSED,
    ),
]


@dataclass
class Ctx:
    application: Application
    staff: dict
    user: object = None


@pytest.fixture
def ctx_for(app_at, staff):
    def make(page):
        target = State.SUBMITTED if page.state == State.RETURNED else page.state
        ctx = Ctx(application=app_at(target), staff=staff)
        if page.state == State.RETURNED:
            returned(ctx)
        ctx.application.refresh_from_db()
        return ctx

    return make


CASES = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize("page, role", CASES, ids=[f"{p.name}-{r}" for p, r in CASES])
def test_page_answers_each_role(request, client, ctx_for, page, role):
    ctx = ctx_for(page)
    ctx.user = request.getfixturevalue(role)
    url = page.url(ctx)
    before = state_now(ctx)
    client.force_login(ctx.user)
    response = getattr(client, page.method)(url, page.data(ctx) or {})
    expected = page.rules[role]
    if expected == OK:
        assert response.status_code == page.ok, response.content.decode()[:2000]
        assert page.done(ctx)
    else:
        assert response.status_code == expected
        assert state_now(ctx) == before


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_is_sent_to_login(client, ctx_for, page):
    ctx = ctx_for(page)
    url = page.url(ctx)
    before = state_now(ctx)
    response = getattr(client, page.method)(url, page.data(ctx) or {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert state_now(ctx) == before


@pytest.mark.parametrize("name", ["application_act", "investigation_add", "objection_resolve"])
def test_post_only_pages_refuse_get(client, app_at, chair_g1a, name):
    application = app_at(State.SUBMITTED)
    client.force_login(chair_g1a)
    assert client.get(reverse(name, args=[application.pk])).status_code == 405


def test_unknown_application_is_not_found(client, chair_g1a):
    client.force_login(chair_g1a)
    assert client.get(reverse("application_detail", args=[999999])).status_code == 404


# --- what the pages show ----------------------------------------------------------------------


def test_out_of_scope_user_does_not_see_the_application_in_lists(client, app_at, caseworker_g2a):
    application = app_at(State.SUBMITTED)
    client.force_login(caseworker_g2a)
    assert application.number not in client.get(reverse("application_list")).content.decode()
    assert application.number not in client.get(reverse("inbox")).content.decode()


def test_application_list_filters_by_state_and_name(client, app_at, chair_g1a):
    waiting = app_at(State.SUBMITTED)
    signed = app_at(State.COMPANY_VERIFIED)
    client.force_login(chair_g1a)
    page = client.get(reverse("application_list"), {"state": "submitted"}).content.decode()
    assert waiting.number in page and signed.number not in page
    page = client.get(reverse("application_list"), {"q": "张建国"}).content.decode()
    assert waiting.number in page and signed.number in page
    page = client.get(reverse("application_list"), {"q": "不存在的人"}).content.decode()
    assert waiting.number not in page


@pytest.mark.parametrize(
    "state, who",
    [
        (State.SUBMITTED, "chair_g1a"),
        (State.GRASSROOTS_APPROVED, "reviewer_c1"),
        (State.COMPANY_VERIFIED, "committee_c1"),
    ],
)
def test_inbox_shows_what_waits_for_this_user_with_the_count_in_the_nav(
    request, client, app_at, state, who
):
    application = app_at(state)
    elsewhere = app_at(State.GRASSROOTS_APPROVED if state == State.SUBMITTED else State.SUBMITTED)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("inbox")).content.decode()
    assert application.number in page
    assert elsewhere.number not in page
    assert 'rounded-pill text-bg-light">1</span>' in page


def test_an_application_waits_in_the_inbox_of_the_company_its_file_moved_to(
    client, org, app_at, reviewer_c1, reviewer_c2
):
    """The application keeps its file's union (the database keeps it, whatever path moves
    the file): it leaves the first company's inbox for the second's."""
    application = app_at(State.GRASSROOTS_APPROVED)
    application.refresh_from_db()
    assert application.union_id == application.household.union_id == org.g1a.pk
    Household.objects.filter(pk=application.household_id).update(union=org.g2a)
    application.save()  # a write by code that still holds the old union keeps the new one
    application.refresh_from_db()
    assert application.union_id == org.g2a.pk
    for reviewer, sees in ((reviewer_c1, False), (reviewer_c2, True)):
        client.force_login(reviewer)
        page = client.get(reverse("inbox"))
        assert (application.number in page.content.decode()) is sees
        assert page.context["nav_inbox_count"] == int(sees)


@pytest.mark.parametrize("who", ["finance_c1", "auditor_fed", "caseworker_g1a", "chair_g1a"])
def test_inbox_is_empty_for_those_not_at_the_waiting_level(request, client, app_at, who):
    application = app_at(State.COMPANY_VERIFIED)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("inbox")).content.decode()
    assert application.number not in page
    assert "rounded-pill text-bg-light" not in page


def test_nav_badge_counts_applications_and_objections(client, app_at, reviewer2_c1, worker_g1a):
    app_at(State.GRASSROOTS_APPROVED)
    app_at(State.GRASSROOTS_APPROVED)
    noticed = app_at(State.IN_NOTICE)
    Objection.objects.create(notice=noticed.notice, reason="收入不实。", lodged_by=worker_g1a)
    client.force_login(reviewer2_c1)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'rounded-pill text-bg-light">3</span>' in page


def test_detail_offers_actions_only_to_who_may_act_now(
    client, app_at, chair_g1a, finance_c1, reviewer_c1
):
    application = app_at(State.SUBMITTED)
    act_url = reverse("application_act", args=[application.pk])
    client.force_login(chair_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert (
        act_url in page
        and 'value="approve"' in page
        and 'value="return"' in page
        and 'value="reject"' in page
    )
    for user in (finance_c1, reviewer_c1):
        client.force_login(user)
        page = client.get(application.get_absolute_url()).content.decode()
        assert act_url not in page


def test_detail_shows_the_trail_and_current_step(client, app_at, staff):
    application = app_at(State.COMPANY_VERIFIED)
    client.force_login(staff["committee"])
    page = client.get(application.get_absolute_url()).content.decode()
    for text in (
        "基层工会审查",
        "公司工会复核",
        "李主席",
        "孙复核",
        "机修车间工会",
        "第一公司工会",
        "同意。",
        "待党政班子会审定",
    ):
        assert text in page, text
    assert "办理：党政班子会审定" in page


def test_print_form_has_household_summary_and_trail(client, app_at, staff, household_g1a):
    application = app_at(State.IN_NOTICE)
    client.force_login(staff["reviewer"])
    page = client.get(reverse("application_print", args=[application.pk])).content.decode()
    for text in (
        "困难职工帮扶申请审批表",
        application.number,
        "张建国",
        household_g1a.file_number,
        "李主席",
        "孙复核",
        "周委员",
        "公示",
    ):
        assert text in page, text


def test_worker_follows_own_application_but_sees_no_actions(
    client, app_at, worker_g1a, worker_household, staff
):
    application = app_at(State.SUBMITTED, household=worker_household)
    client.force_login(worker_g1a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "待基层工会审查" in page
    assert reverse("application_act", args=[application.pk]) not in page


def test_inbox_leaves_out_what_the_user_may_not_decide(
    client, app_at, dual_g1a, chair2_g1a, household_g1a
):
    """Acted as chair, so not again as reviewer; the own household's application, never."""
    application = app_at(State.SUBMITTED)
    act(dual_g1a, application)
    chair2_g1a.id_number = household_g1a.id_number
    chair2_g1a.save()
    own = app_at(State.SUBMITTED)
    client.force_login(dual_g1a)
    page = client.get(reverse("inbox")).content.decode()
    assert application.number not in page
    assert own.number in page  # still waits for dual_g1a as chair
    client.force_login(chair2_g1a)
    page = client.get(reverse("inbox")).content.decode()
    assert own.number not in page
    assert "rounded-pill text-bg-light" not in page


def test_worker_sees_own_returned_application_in_inbox(
    client, app_at, worker_g1a, worker_household, chair_g1a
):
    application = file(worker_g1a, worker_household)
    act(chair_g1a, application, "return", "请补充诊断证明。")
    client.force_login(worker_g1a)
    page = client.get(reverse("inbox")).content.decode()
    assert application.number in page
    assert 'rounded-pill text-bg-light">1</span>' in page
