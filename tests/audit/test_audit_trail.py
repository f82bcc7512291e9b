"""The audit trail: every change kept by simple-history, for auditors only, scoped to their
part of the tree, filtered, each with its field-by-field difference."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import person
from formdata import household_edit_data

from audit import trail
from cases.models import EvidenceRequirement
from funds.models import Fund
from hardship.models import Membership, Role
from households.models import Household, Member

OLD_DAY = datetime.datetime(2025, 1, 10, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def changes(
    client, policy, household_g1a, household_g2a, caseworker_g1a, caseworker_g2a, admin_fed
):
    """G1a's caseworker re-grades household_g1a (and the spouse's income); G2a's caseworker
    changes household_g2a's address, a change then dated back to 2025; the administrator
    raises the system-wide threshold."""
    client.force_login(caseworker_g1a)
    data = household_edit_data(
        household_g1a,
        level="extreme",
        employment_status="laid_off",
        phone="13011112222",
        address="新地址一号",
    )
    data["members-0-monthly_income"] = "120.00"
    assert client.post(reverse("household_edit", args=[household_g1a.pk]), data).status_code == 302

    client.force_login(caseworker_g2a)
    data = household_edit_data(household_g2a, address="化工区二号")
    assert client.post(reverse("household_edit", args=[household_g2a.pk]), data).status_code == 302
    Household.history.filter(id=household_g2a.pk, history_type="~").update(history_date=OLD_DAY)

    threshold = policy["hardship"]
    threshold.value = Decimal("300")
    threshold._history_user = admin_fed
    threshold.save()
    client.logout()
    return {"g1a": household_g1a, "g2a": household_g2a}


def household_change(rows, household):
    (row,) = [
        r
        for r in rows
        if r.kind == "household" and r.action == "修改" and r.record == str(household)
    ]
    return row


def trail_page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("audit_trail"), params)
    assert response.status_code == 200
    return response


def test_auditor_can_read_each_change_field_by_field_with_labels(client, changes, auditor_fed):
    response = trail_page(client, auditor_fed)
    row = household_change(response.context["rows"], changes["g1a"])
    assert row.who == "王干事"
    assert row.label == "困难职工档案"
    assert ("困难程度", "困难", "特困") in row.changes
    assert ("就业状态", "离退休", "下岗失业") in row.changes
    assert ("家庭住址", "哈尔滨市南岗区学府路1号", "新地址一号") in row.changes
    page = response.content.decode()
    assert "困难程度：困难 → 特困" in page
    assert "laid_off" not in page and "extreme" not in page
    member = [r for r in response.context["rows"] if r.kind == "member" and r.action == "修改"]
    assert ("月收入（元）", "0.00", "120.00") in member[0].changes


def test_auditor_cannot_read_sensitive_values_in_the_trail(client, changes, auditor_fed):
    old_phone = changes["g1a"].phone
    response = trail_page(client, auditor_fed)
    row = household_change(response.context["rows"], changes["g1a"])
    assert ("联系电话", "***", "***") in row.changes
    page = response.content.decode()
    assert "联系电话：*** → ***" in page
    assert "13011112222" not in page and old_phone not in page


def test_auditor_can_filter_the_trail_by_user(client, changes, caseworker_g2a, auditor_fed):
    rows = trail_page(client, auditor_fed, actor=caseworker_g2a.pk).context["rows"]
    assert rows and {r.who for r in rows} == {"赵干事"}
    assert household_change(rows, changes["g2a"])


def test_auditor_can_filter_the_trail_by_kind_of_record(client, changes, auditor_fed):
    rows = trail_page(client, auditor_fed, kind="member").context["rows"]
    assert rows and {r.kind for r in rows} == {"member"}
    rows = trail_page(client, auditor_fed, kind="policy").context["rows"]
    assert {r.kind for r in rows} == {"policy"}
    assert any(("数值", "280.00", "300.00") in r.changes for r in rows)


def test_auditor_can_filter_the_trail_by_unit(client, org, changes, auditor_fed):
    rows = trail_page(client, auditor_fed, unit=org.g2a.pk, kind="household").context["rows"]
    assert {r.record for r in rows} == {str(changes["g2a"])}
    rows = trail_page(client, auditor_fed, unit=org.c1.pk, kind="household").context["rows"]
    assert {r.record for r in rows} == {str(changes["g1a"])}


def test_auditor_can_filter_the_trail_by_date(client, changes, auditor_fed):
    rows = trail_page(client, auditor_fed, kind="household", since="2026-01-01").context["rows"]
    assert [r.record for r in rows if r.action == "修改"] == [str(changes["g1a"])]
    rows = trail_page(client, auditor_fed, kind="household", until="2025-12-31").context["rows"]
    assert [r.record for r in rows] == [str(changes["g2a"])]
    assert rows[0].when.astimezone(ZoneInfo(settings.TIME_ZONE)).date() == datetime.date(
        2025, 1, 10
    )
    rows = trail_page(client, auditor_fed, since="2025-01-10", until="2025-01-10").context["rows"]
    assert [r.record for r in rows] == [str(changes["g2a"])]


def test_auditor_can_see_the_newest_changes_first(client, changes, auditor_fed):
    rows = trail_page(client, auditor_fed).context["rows"]
    assert [r.when for r in rows] == sorted((r.when for r in rows), reverse=True)


def test_auditor_of_one_company_cannot_see_another_companys_changes(
    client, changes, auditor_c1, auditor_c2
):
    rows = trail_page(client, auditor_c1).context["rows"]
    records = {r.record for r in rows}
    assert str(changes["g1a"]) in records
    assert str(changes["g2a"]) not in records
    assert "化工区二号" not in trail_page(client, auditor_c1).content.decode()
    assert not [r for r in rows if r.kind == "policy"]  # system-wide policy: root auditors only

    rows = trail_page(client, auditor_c2).context["rows"]
    assert str(changes["g2a"]) in {r.record for r in rows}
    assert str(changes["g1a"]) not in {r.record for r in rows}


def test_auditor_of_one_company_cannot_widen_the_scope_by_filtering_another_unit(
    client, org, changes, auditor_c1
):
    rows = trail.entries(auditor_c1, unit=org.g2a)
    assert rows == []
    page = trail_page(client, auditor_c1, unit=org.g2a.pk).content.decode()
    assert "化工区二号" not in page


def test_auditor_of_one_company_can_choose_only_users_and_units_of_that_company(
    client, org, changes, auditor_c1
):
    form = trail_page(client, auditor_c1).context["form"]
    assert org.g2a not in form.fields["unit"].queryset
    assert org.g1a in form.fields["unit"].queryset
    assert set(form.fields["actor"].queryset.values_list("username", flat=True)) >= {
        "caseworker_g1a"
    }
    assert "caseworker_g2a" not in set(
        form.fields["actor"].queryset.values_list("username", flat=True)
    )


def test_auditor_can_see_deleted_records_in_the_trail(
    client, changes, household_g1a, caseworker_g1a, auditor_fed
):
    spouse = household_g1a.members.get()
    client.force_login(caseworker_g1a)
    data = household_edit_data(Household.objects.get(pk=household_g1a.pk))
    data["members-0-DELETE"] = "on"
    assert client.post(reverse("household_edit", args=[household_g1a.pk]), data).status_code == 302
    assert not Member.objects.filter(pk=spouse.pk).exists()
    rows = trail_page(client, auditor_fed, kind="member").context["rows"]
    assert any(r.action == "删除" and r.who == "王干事" for r in rows)


@pytest.mark.parametrize(
    "who",
    [
        "caseworker_g1a",
        "chair_g1a",
        "reviewer_c1",
        "committee_c1",
        "finance_c1",
        "worker_g1a",
        "admin_fed",
        "outsider",
    ],
)
def test_other_roles_cannot_open_the_audit_trail(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("audit_trail")).status_code == 403


def test_anonymous_cannot_open_the_audit_trail(client, db):
    response = client.get(reverse("audit_trail"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_auditor_can_read_a_move_between_unions_by_name(
    client, org, household_g1a, reviewer_c1, auditor_fed
):
    client.force_login(reviewer_c1)
    data = household_edit_data(household_g1a, union=org.g1b)
    assert client.post(reverse("household_edit", args=[household_g1a.pk]), data).status_code == 302
    row = household_change(
        trail_page(client, auditor_fed, kind="household").context["rows"], household_g1a
    )
    assert ("基层工会", "机修车间工会", "炼油车间工会") in row.changes


def test_auditor_at_the_root_can_read_changes_to_the_evidence_rules(client, org, auditor_fed):
    rule = EvidenceRequirement.objects.create(cause="illness", evidence_kind="other")
    rule.evidence_kind = "disability_cert"
    rule.save()
    rows = trail_page(client, auditor_fed, kind="evidence_rule").context["rows"]
    assert [r.action for r in rows] == ["修改", "新建"]


def test_the_trail_costs_the_same_queries_however_many_changes_it_shows(
    client, household_g1a, auditor_fed, session_clock_still
):
    def edit(times):
        for n in range(times):
            household_g1a.address = f"新地址{n}号"
            household_g1a.save()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = trail_page(client, auditor_fed, kind="household").context["rows"]
        return len(captured), sum(1 for r in rows if r.changes)

    queries()  # the first request after signing in reads the session and the user once
    edit(2)
    few, shown_few = queries()
    edit(6)
    many, shown_many = queries()
    assert shown_many > shown_few >= 2
    assert many == few


def test_records_named_by_related_or_unkept_fields_cost_no_query_each(
    client, org, auditor_fed, session_clock_still
):
    """A role given names its user and union; a user and a fund keep some fields out of
    their history (the password, the balance): naming them reads nothing per row."""

    def grant(times):
        for n in range(times):
            user = person(f"trail_{times}_{n}", f"新人{times}{n}")
            Membership.objects.create(user=user, unit=org.g1a, role=Role.CASEWORKER)
            Fund.objects.create(unit=org.c1, name=f"资金{times}{n}", year=timezone.localdate().year)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = trail_page(client, auditor_fed).context["rows"]
        return len(captured), rows

    queries()
    grant(1)
    few, _rows = queries()
    grant(4)
    many, rows = queries()
    assert many == few
    named = {(r.kind, r.record) for r in rows}
    assert ("membership", f"新人40 · {Role.CASEWORKER.label} · {org.g1a.name}") in named
    assert ("user", "新人40") in named
    assert ("fund", f"资金40（{timezone.localdate().year}）") in named
