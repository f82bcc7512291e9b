"""Every funds page (and visit_create) for every role: allowed in scope (200 or a redirect
after the write), 404 outside the scope (another company's fund or plan is not revealed), 403
where the role may see but not do, a login redirect for the anonymous; never a 500 (the test
client would raise). Each denied request changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from fundkit import ACCOUNT, approve, new_plan, reverse_entry, submit

from casework.models import Visit
from funds.models import DistributionPlan, Fund, LedgerEntry
from households.models import Household

pytestmark = pytest.mark.django_db

OK = "ok"
ROLES = [
    "caseworker_g1a",
    "chair_g1a",
    "reviewer_c1",
    "committee_c1",
    "finance_c1",
    "auditor_fed",
    "admin_fed",
    "caseworker_g2a",
    "finance_c2",
    "committee_c2",
    "worker_g1a",
    "outsider",
]
# Roles that read C1's funds and plans (FUND_READERS at C1 or above).
C1_READERS = {"reviewer_c1", "committee_c1", "finance_c1", "auditor_fed"}
NOT_FOUND = {role: 404 for role in ROLES}
# The fund and plan lists: for the roles that follow the money, 403 for anyone else.
FUND_READERS = C1_READERS | {"finance_c2", "committee_c2"}
LISTS = {role: 403 for role in ROLES} | {role: OK for role in FUND_READERS}
# A fund or plan of C1: readers see it, everyone else gets a 404.
READ = NOT_FOUND | {role: OK for role in C1_READERS}
# Bookkeeping on a C1 fund: its finance officer; other readers see the fund but may not.
BOOKS = READ | {role: 403 for role in C1_READERS - {"finance_c1"}}
# Paying an application of household_g1a: whoever sees the household and is not C1's
# finance is refused; those who do not see the household get a 404.
PAY = NOT_FOUND | {
    "caseworker_g1a": 403,
    "chair_g1a": 403,
    "reviewer_c1": 403,
    "committee_c1": 403,
    "auditor_fed": 403,
    "finance_c1": OK,
}
# Creating a fund: anyone keeping books somewhere.
FUND_CREATE = {role: 403 for role in ROLES} | {"finance_c1": OK, "finance_c2": OK}
# Posting a C1 fund form: C2's finance may open the form but C1 is not among its units.
FUND_CREATE_POST = FUND_CREATE | {"finance_c2": 200}
# Drawing up plans: finance and company reviewers.
PLAN_CREATE = FUND_CREATE | {"reviewer_c1": OK}
PLAN_CREATE_POST = PLAN_CREATE | {"finance_c2": 200}
# The plan's creator (finance_c1) edits and submits it; other readers may not.
CREATOR = BOOKS
# Signing a plan off: C1's committee.
PLAN_ACT = READ | {role: 403 for role in C1_READERS - {"committee_c1"}}
# Visits: those who edit the file.
VISIT = NOT_FOUND | {
    "caseworker_g1a": OK,
    "chair_g1a": OK,
    "reviewer_c1": OK,
    "committee_c1": 403,
    "finance_c1": 403,
    "auditor_fed": 403,
}


@dataclass
class Ctx:
    org: object
    finance: object
    committee: object
    fund: Fund
    household: object
    effective: Callable
    plan: DistributionPlan | None = None
    entry: LedgerEntry | None = None
    application: object = None
    extra: dict = field(default_factory=dict)


def with_plan(state):
    def setup(ctx):
        ctx.plan = new_plan(ctx.finance, ctx.fund, ctx.org.c1)
        if state in ("submitted", "approved"):
            submit(ctx.plan)
        if state == "approved":
            approve(ctx.plan, ctx.committee)
        ctx.plan.refresh_from_db()

    return setup


def with_payment(ctx):
    ctx.application = ctx.effective("5000")


def with_entry(ctx):
    ctx.entry = LedgerEntry.objects.get(fund=ctx.fund, kind="receipt")


def snapshot(ctx):
    plan_state = DistributionPlan.objects.get(pk=ctx.plan.pk).state if ctx.plan else None
    return (
        LedgerEntry.objects.count(),
        Fund.objects.count(),
        DistributionPlan.objects.count(),
        plan_state,
        DistributionPlan.objects.filter(name="改名后的方案").count(),
        Visit.objects.count(),
        Fund.objects.get(pk=ctx.fund.pk).balance,
    )


def visit_data(ctx):
    return {
        "visited_on": timezone.localdate().isoformat(),
        "kind": "regular",
        "visitors": "王干事",
        "notes": "日常走访。",
        "goods": "",
        "goods_value": "",
    }


def plan_data(ctx, name="2026年中秋节慰问金"):
    return {
        "name": name,
        "unit": ctx.org.c1.pk,
        "fund": ctx.fund.pk,
        "aid_type": "festival",
        "category": "",
        "level": "",
        "rule": "flat",
        "flat_amount": "300",
        "hardship_amount": "",
        "extreme_amount": "",
        "method": "bank",
        "goods": "",
        "pay_on": "2026-09-25",
    }


@dataclass
class Page:
    name: str
    method: str
    url: Callable
    rules: dict
    setup: Callable = lambda ctx: None
    data: Callable = lambda ctx: {}
    ok: int = 200
    # What an allowed request changed, given the snapshot before it.
    done: Callable = lambda ctx, before: snapshot(ctx) == before


def grew(index, by=1):
    return lambda ctx, before: snapshot(ctx)[index] == before[index] + by


def plan_state_is(state):
    return lambda ctx, before: DistributionPlan.objects.get(pk=ctx.plan.pk).state == state


PAGES = [
    Page("fund_list", "get", lambda ctx: reverse("fund_list"), LISTS),
    Page("fund_create", "get", lambda ctx: reverse("fund_create"), FUND_CREATE),
    Page(
        "fund_create_post",
        "post",
        lambda ctx: reverse("fund_create"),
        FUND_CREATE_POST,
        data=lambda ctx: {
            "name": "新建专户",
            "source": "donation",
            "year": "2026",
            "unit": ctx.org.c1.pk,
            "aid_types": ["emergency", "medical"],
        },
        ok=302,
        done=lambda ctx, before: Fund.objects.filter(name="新建专户", unit=ctx.org.c1).exists(),
    ),
    Page("fund_detail", "get", lambda ctx: reverse("fund_detail", args=[ctx.fund.pk]), READ),
    Page(
        "receipt_add",
        "post",
        lambda ctx: reverse("receipt_add", args=[ctx.fund.pk]),
        BOOKS,
        data=lambda ctx: {
            "amount": "100",
            "voucher": "DZ-PAGE",
            "posted_on": "2026-03-01",
            "note": "到账",
        },
        ok=302,
        done=lambda ctx, before: snapshot(ctx)[6] == before[6] + 100,
    ),
    Page(
        "entry_reverse",
        "get",
        lambda ctx: reverse("entry_reverse", args=[ctx.entry.pk]),
        BOOKS,
        setup=with_entry,
    ),
    Page(
        "entry_reverse_post",
        "post",
        lambda ctx: reverse("entry_reverse", args=[ctx.entry.pk]),
        BOOKS,
        setup=with_entry,
        data=lambda ctx: {"reason": "误入账。"},
        ok=302,
        done=lambda ctx, before: LedgerEntry.objects.filter(reverses=ctx.entry).exists(),
    ),
    Page(
        "payment_create",
        "get",
        lambda ctx: reverse("payment_create", args=[ctx.application.pk]),
        PAY,
        setup=with_payment,
    ),
    Page(
        "payment_create_post",
        "post",
        lambda ctx: reverse("payment_create", args=[ctx.application.pk]),
        PAY,
        setup=with_payment,
        data=lambda ctx: {
            "fund": ctx.fund.pk,
            "amount": "5000",
            "method": "bank",
            "bank_account": ACCOUNT,
            "voucher": "FF-PAGE",
            "paid_on": "2026-06-01",
            "note": "",
        },
        ok=302,
        done=lambda ctx, before: LedgerEntry.objects.filter(
            voucher="FF-PAGE", application=ctx.application, amount=Decimal("-5000")
        ).exists(),
    ),
    Page("plan_list", "get", lambda ctx: reverse("plan_list"), LISTS),
    Page("plan_create", "get", lambda ctx: reverse("plan_create"), PLAN_CREATE),
    Page(
        "plan_create_post",
        "post",
        lambda ctx: reverse("plan_create"),
        PLAN_CREATE_POST,
        data=plan_data,
        ok=302,
        done=grew(2),
    ),
    Page(
        "plan_detail",
        "get",
        lambda ctx: reverse("plan_detail", args=[ctx.plan.pk]),
        READ,
        setup=with_plan("draft"),
    ),
    Page(
        "plan_edit",
        "get",
        lambda ctx: reverse("plan_edit", args=[ctx.plan.pk]),
        CREATOR,
        setup=with_plan("draft"),
    ),
    Page(
        "plan_edit_post",
        "post",
        lambda ctx: reverse("plan_edit", args=[ctx.plan.pk]),
        CREATOR,
        setup=with_plan("draft"),
        data=lambda ctx: plan_data(ctx, name="改名后的方案"),
        ok=302,
        done=grew(4),
    ),
    Page(
        "plan_submit",
        "post",
        lambda ctx: reverse("plan_submit", args=[ctx.plan.pk]),
        CREATOR,
        setup=with_plan("draft"),
        ok=302,
        done=plan_state_is("submitted"),
    ),
    Page(
        "plan_act",
        "post",
        lambda ctx: reverse("plan_act", args=[ctx.plan.pk]),
        PLAN_ACT,
        setup=with_plan("submitted"),
        data=lambda ctx: {"action": "approve", "comment": "同意。", "expected_state": "submitted"},
        ok=302,
        done=plan_state_is("approved"),
    ),
    Page(
        "plan_post",
        "post",
        lambda ctx: reverse("plan_post", args=[ctx.plan.pk]),
        BOOKS,
        setup=with_plan("approved"),
        ok=302,
        done=plan_state_is("posted"),
    ),
    Page(
        "visit_create",
        "get",
        lambda ctx: reverse("visit_create", args=[ctx.household.pk]),
        VISIT,
    ),
    Page(
        "visit_create_post",
        "post",
        lambda ctx: reverse("visit_create", args=[ctx.household.pk]),
        VISIT,
        data=visit_data,
        ok=302,
        done=grew(5),
    ),
]


@pytest.fixture
def ctx_for(org, finance_c1, committee_c1, fund_c1, household, effective, people):
    # Every household in file (worker_g1a's own included) can be paid by bank card.
    Household.objects.filter(bank_account="").update(bank_account=ACCOUNT)

    def make(page):
        ctx = Ctx(
            org=org,
            finance=finance_c1,
            committee=committee_c1,
            fund=fund_c1,
            household=household,
            effective=effective,
        )
        page.setup(ctx)
        return ctx

    return make


@pytest.fixture
def people(request):
    return {role: request.getfixturevalue(role) for role in ROLES}


def denied_first(rules):
    return sorted(ROLES, key=lambda role: rules[role] == OK)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_each_role_can_or_cannot_use_each_page(client, ctx_for, people, page):
    ctx = ctx_for(page)
    url = page.url(ctx)
    # Denied roles first, so that the allowed write happens on untouched data.
    for role in denied_first(page.rules):
        expected = page.rules[role]
        before = snapshot(ctx)
        client.force_login(people[role])
        response = getattr(client, page.method)(url, page.data(ctx))
        if expected == OK:
            assert response.status_code == page.ok, (role, response.content.decode()[:3000])
            assert page.done(ctx, before), role
        else:
            assert response.status_code == expected, role
            assert snapshot(ctx) == before, role


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_cannot_use_any_page(client, ctx_for, page):
    ctx = ctx_for(page)
    before = snapshot(ctx)
    response = getattr(client, page.method)(page.url(ctx), page.data(ctx))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(ctx) == before


@pytest.mark.parametrize("name", ["receipt_add", "plan_submit", "plan_act", "plan_post"])
def test_finance_cannot_get_post_only_pages(client, finance_c1, fund_c1, draft_plan, name):
    client.force_login(finance_c1)
    pk = fund_c1.pk if name == "receipt_add" else draft_plan.pk
    assert client.get(reverse(name, args=[pk])).status_code == 405


@pytest.mark.parametrize(
    "name", ["fund_detail", "receipt_add", "entry_reverse", "plan_detail", "payment_create"]
)
def test_finance_cannot_find_unknown_records(client, finance_c1, name):
    client.force_login(finance_c1)
    method = client.post if name == "receipt_add" else client.get
    assert method(reverse(name, args=[999999])).status_code == 404


def test_each_role_can_list_only_funds_in_scope(client, people, fund_c1, fund_c2):
    for role, user in people.items():
        client.force_login(user)
        response = client.get(reverse("fund_list"))
        if role not in FUND_READERS:
            assert response.status_code == 403, role
            continue
        html = response.content.decode()
        assert (fund_c1.name in html) == (role in C1_READERS), role
        sees_c2 = role in {"finance_c2", "committee_c2", "auditor_fed"}
        assert (fund_c2.name in html) == sees_c2, role


def test_each_role_can_list_only_plans_in_scope(client, people, draft_plan):
    for role, user in people.items():
        client.force_login(user)
        response = client.get(reverse("plan_list"))
        if role not in FUND_READERS:
            assert response.status_code == 403, role
            continue
        html = response.content.decode()
        assert (draft_plan.name in html) == (role in C1_READERS), role


def test_finance_of_another_company_cannot_find_its_fund_or_plan(
    client, finance_c2, fund_c1, approved_plan
):
    client.force_login(finance_c2)
    receipt = LedgerEntry.objects.get(fund=fund_c1)
    for url in (
        reverse("fund_detail", args=[fund_c1.pk]),
        reverse("entry_reverse", args=[receipt.pk]),
        reverse("plan_detail", args=[approved_plan.pk]),
        reverse("plan_edit", args=[approved_plan.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("receipt_add", args=[fund_c1.pk]),
        reverse("plan_post", args=[approved_plan.pk]),
        reverse("plan_submit", args=[approved_plan.pk]),
    ):
        assert client.post(url, {"amount": "1", "voucher": "X", "note": "x"}).status_code == 404
    assert LedgerEntry.objects.count() == 1
    approved_plan.refresh_from_db()
    assert approved_plan.state == "approved"


def test_caseworker_cannot_see_fund_pages(client, caseworker_g1a, fund_c1, draft_plan):
    client.force_login(caseworker_g1a)
    assert client.get(reverse("fund_detail", args=[fund_c1.pk])).status_code == 404
    assert client.get(reverse("plan_detail", args=[draft_plan.pk])).status_code == 404
    assert client.get(reverse("fund_create")).status_code == 403
    assert client.get(reverse("plan_create")).status_code == 403
    # And the navigation does not offer the fund pages.
    assert client.get(reverse("fund_list")).context["nav_sees_funds"] is False


def test_worker_opening_the_fund_pages_is_refused(client, worker_g1a):
    """Like every other page outside the worker's role: 403 with the reason, not an empty
    list."""
    client.force_login(worker_g1a)
    for name in ("fund_list", "plan_list"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "资金和发放方案只对财务" in response.content.decode()


def test_finance_and_reviewer_cannot_act_on_a_plan_the_committee_can(
    client, finance_c1, committee_c1, reviewer_c1, submitted_plan
):
    client.force_login(committee_c1)
    assert client.get(submitted_plan.get_absolute_url()).context["can_act"] is True
    for user in (finance_c1, reviewer_c1):
        client.force_login(user)
        context = client.get(submitted_plan.get_absolute_url()).context
        assert context["can_act"] is False
        assert context["can_post"] is False


def test_finance_sees_a_reversed_row_as_reversed_and_no_second_reversal_offered(
    client, finance_c1, fund_c1
):
    receipt = LedgerEntry.objects.get(fund=fund_c1)
    reversal = reverse_entry(finance_c1, receipt, reason="到账金额有误")
    client.force_login(finance_c1)
    html = client.get(reverse("fund_detail", args=[fund_c1.pk])).content.decode()
    assert f"已冲销（{reversal.voucher}）" in html
    assert reverse("entry_reverse", args=[receipt.pk]) not in html
