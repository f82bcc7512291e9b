"""Annual review (年度复核): re-assess a household in file and decide what follows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, HouseholdFactory, PolicyParameterFactory
from formdata import household_edit_data

from cases.models import Application, Decision
from casework.models import AnnualReview
from casework.selectors import reviews_due
from hardship.models import PolicyParameter
from households.models import Household, Member
from households.reviews import add_months

OUTCOME = AnnualReview.Outcome


def review_data(household, outcome, notes="入户复核，家庭情况与档案一致。", **fields) -> dict:
    """The review page's form as loaded for `household`, submitted with `fields` changed."""
    household = Household.objects.get(pk=household.pk)
    data = household_edit_data(household, **fields)
    data["outcome"] = outcome
    data["notes"] = notes
    return data


def review(client, user, household, data):
    client.force_login(user)
    return client.post(reverse("review_create", args=[household.pk]), data)


def with_due_date(household, due):
    Household.objects.filter(pk=household.pk).update(review_due_on=due)
    household.refresh_from_db()
    return household


# Outcomes ----------------------------------------------------------------------------------


def test_caseworker_can_open_the_review_prefilled_from_the_file(
    client, household_g1a, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("review_create", args=[household_g1a.pk]))
    assert response.status_code == 200
    assert response.context["form"]["worker_name"].value() == "张建国"
    assert response.context["incomes"].forms[0]["monthly_amount"].value() == Decimal("600.00")
    assert "review_form" in response.context
    assert "完成复核" in response.content.decode()


def test_caseworker_can_continue_a_file_with_reassessed_members_and_income(
    client, policy, household_g1a, caseworker_g1a
):
    today = timezone.localdate()
    spouse = household_g1a.members.get()
    before = Household.objects.get(pk=household_g1a.pk)
    data = review_data(household_g1a, OUTCOME.CONTINUE, notes="复核：配偶有零工收入。")
    data["members-0-monthly_income"] = "300.00"
    data["incomes-0-monthly_amount"] = "700.00"

    response = review(client, caseworker_g1a, household_g1a, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("household_detail", args=[household_g1a.pk])
    row = AnnualReview.objects.get(household=household_g1a)
    assert row.outcome == OUTCOME.CONTINUE
    assert row.per_capita == Decimal("500.00")  # (300 + 700) / 2 people
    assert row.reviewed_on == today
    assert row.reviewer == caseworker_g1a
    assert row.notes == "复核：配偶有零工收入。"
    assert row.application is None
    assert (row.category_before, row.level_before) == (before.category, before.level)
    assert (row.category_after, row.level_after) == (before.category, before.level)
    after = Household.objects.get(pk=household_g1a.pk)
    assert after.review_due_on == add_months(today, 12)
    # Only the re-assessed figures changed; the file is otherwise as it was.
    for field in (
        "status",
        "category",
        "level",
        "worker_name",
        "address",
        "established_on",
        "file_number",
    ):
        assert getattr(after, field) == getattr(before, field), field
    assert Member.objects.get(pk=spouse.pk).monthly_income == Decimal("300.00")
    assert after.income_items.get().monthly_amount == Decimal("700.00")


def test_caseworker_can_find_the_previous_income_in_history_after_a_review(
    client, household_g1a, caseworker_g1a
):
    spouse = household_g1a.members.get()
    data = review_data(household_g1a, OUTCOME.CONTINUE)
    data["members-0-monthly_income"] = "450.00"
    data["incomes-0-monthly_amount"] = "900.00"
    assert review(client, caseworker_g1a, household_g1a, data).status_code == 302

    incomes = list(spouse.history.order_by("history_id").values_list("monthly_income", flat=True))
    assert incomes == [Decimal("0.00"), Decimal("450.00")]
    latest = spouse.history.order_by("-history_id").first()
    assert latest.history_user == caseworker_g1a
    item = household_g1a.income_items.get()
    amounts = list(item.history.order_by("history_id").values_list("monthly_amount", flat=True))
    assert amounts == [Decimal("600.00"), Decimal("900.00")]
    # The household page's history tab shows the old and the new income.
    client.force_login(caseworker_g1a)
    changes = client.get(household_g1a.get_absolute_url()).context["history"]
    assert any(c.field == "月收入（元）" and c.old == "0.00" and c.new == "450.00" for c in changes)
    # And the review itself, a casework row kept on the file.
    assert any(c.record.startswith("年度复核") and c.action == "新建" for c in changes)


def test_caseworker_can_set_the_next_review_by_the_policy_period(
    client, org, household_g1a, caseworker_g1a
):
    PolicyParameterFactory(key=PolicyParameter.Key.REVIEW_MONTHS, value=Decimal("6"))
    today = timezone.localdate()
    assert (
        review(
            client, caseworker_g1a, household_g1a, review_data(household_g1a, OUTCOME.CONTINUE)
        ).status_code
        == 302
    )
    household_g1a.refresh_from_db()
    assert household_g1a.review_due_on == add_months(today, 6)


def test_caseworker_can_see_a_union_specific_review_period_win_over_the_system_wide_one(
    client, org, household_g1a, caseworker_g1a
):
    PolicyParameterFactory(key=PolicyParameter.Key.REVIEW_MONTHS, value=Decimal("6"))
    PolicyParameterFactory(key=PolicyParameter.Key.REVIEW_MONTHS, value=Decimal("24"), unit=org.c1)
    today = timezone.localdate()
    assert (
        review(
            client, caseworker_g1a, household_g1a, review_data(household_g1a, OUTCOME.CONTINUE)
        ).status_code
        == 302
    )
    household_g1a.refresh_from_db()
    assert household_g1a.review_due_on == add_months(today, 24)


def test_chair_can_change_the_level_through_a_review(client, household_g1a, chair_g1a):
    response = review(
        client,
        chair_g1a,
        household_g1a,
        review_data(household_g1a, OUTCOME.CHANGE, level="extreme", category="dibao"),
    )
    assert response.status_code == 302
    row = AnnualReview.objects.get(household=household_g1a)
    assert (row.category_before, row.level_before) == ("near_dibao", "hardship")
    assert (row.category_after, row.level_after) == ("dibao", "extreme")
    household_g1a.refresh_from_db()
    assert (household_g1a.category, household_g1a.level) == ("dibao", "extreme")
    assert household_g1a.status == Household.Status.IN_FILE


def test_caseworker_cannot_choose_change_without_changing_category_or_level(
    client, household_g1a, caseworker_g1a
):
    due = timezone.localdate() + datetime.timedelta(days=5)
    with_due_date(household_g1a, due)
    data = review_data(household_g1a, OUTCOME.CHANGE)
    data["incomes-0-monthly_amount"] = "800.00"

    response = review(client, caseworker_g1a, household_g1a, data)

    assert response.status_code == 200
    assert "选择“调整困难类别或程度”时，请在上面修改类别或程度。" in response.content.decode()
    assert not AnnualReview.objects.exists()
    household_g1a.refresh_from_db()
    assert household_g1a.review_due_on == due
    assert household_g1a.income_items.get().monthly_amount == Decimal("600.00")


def test_caseworker_cannot_change_the_level_under_another_outcome(
    client, household_g1a, caseworker_g1a
):
    response = review(
        client,
        caseworker_g1a,
        household_g1a,
        review_data(household_g1a, OUTCOME.CONTINUE, level="extreme"),
    )
    assert response.status_code == 200
    assert "修改了类别或程度，复核结论应为“调整困难类别或程度”。" in response.content.decode()
    assert not AnnualReview.objects.exists()
    household_g1a.refresh_from_db()
    assert household_g1a.level == "hardship"


@pytest.mark.parametrize(
    "outcome, kind",
    [
        (OUTCOME.PROPOSE_EXIT, Application.Kind.EXIT),
        (OUTCOME.PROPOSE_CANCEL, Application.Kind.CANCEL),
    ],
)
def test_caseworker_can_propose_an_exit_or_cancellation_that_enters_the_chain(
    client, household_g1a, caseworker_g1a, outcome, kind
):
    notes = "配偶已稳定就业，家庭人均收入超过困难标准。"
    response = review(
        client, caseworker_g1a, household_g1a, review_data(household_g1a, outcome, notes=notes)
    )

    application = Application.objects.get(household=household_g1a)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.kind == kind
    assert application.state == Application.State.SUBMITTED
    assert application.reason == notes
    assert application.filed_by == caseworker_g1a
    decision = Decision.objects.get(application=application)
    assert decision.action == Decision.Action.SUBMIT and decision.row_hash
    row = AnnualReview.objects.get(household=household_g1a)
    assert row.outcome == outcome
    assert row.application == application
    # The file stays in file until the application takes effect.
    household_g1a.refresh_from_db()
    assert household_g1a.status == Household.Status.IN_FILE


def test_caseworker_cannot_propose_an_exit_twice_and_is_told_why(
    client, household_g1a, caseworker_g1a
):
    first = review(
        client, caseworker_g1a, household_g1a, review_data(household_g1a, OUTCOME.PROPOSE_EXIT)
    )
    assert first.status_code == 302
    due = Household.objects.get(pk=household_g1a.pk).review_due_on

    second = review(
        client, caseworker_g1a, household_g1a, review_data(household_g1a, OUTCOME.PROPOSE_EXIT)
    )

    assert second.status_code == 200
    assert "该户已有一份同类申请在办理中。" in second.content.decode()
    assert Application.objects.filter(household=household_g1a).count() == 1
    assert AnnualReview.objects.filter(household=household_g1a).count() == 1
    assert Household.objects.get(pk=household_g1a.pk).review_due_on == due


# Who may review -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["committee_c1", "finance_c1", "auditor_fed", "worker_g1a"])
def test_non_editor_cannot_review_a_file(client, request, household_g1a, worker_household, who):
    user = request.getfixturevalue(who)
    target = worker_household if who == "worker_g1a" else household_g1a
    client.force_login(user)
    assert client.get(reverse("review_create", args=[target.pk])).status_code == 403
    assert review(client, user, target, review_data(target, OUTCOME.CONTINUE)).status_code == 403
    assert not AnnualReview.objects.exists()


def test_caseworker_of_another_union_cannot_review_a_file(client, household_g1a, caseworker_g2a):
    client.force_login(caseworker_g2a)
    assert client.get(reverse("review_create", args=[household_g1a.pk])).status_code == 404
    assert (
        review(
            client, caseworker_g2a, household_g1a, review_data(household_g1a, OUTCOME.CONTINUE)
        ).status_code
        == 404
    )
    assert not AnnualReview.objects.exists()


def test_reviewer_can_review_a_file_of_their_company(client, household_g1a, reviewer_c1):
    assert (
        review(
            client, reviewer_c1, household_g1a, review_data(household_g1a, OUTCOME.CONTINUE)
        ).status_code
        == 302
    )
    assert AnnualReview.objects.get().reviewer == reviewer_c1


@pytest.mark.parametrize("state", ["exited", "cancelled", "draft"])
def test_caseworker_cannot_review_a_file_not_in_file(client, org, caseworker_g1a, state):
    household = HouseholdFactory(union=org.g1a, **({state: True} if state != "draft" else {}))
    client.force_login(caseworker_g1a)
    assert client.get(reverse("review_create", args=[household.pk])).status_code == 403
    response = review(client, caseworker_g1a, household, review_data(household, OUTCOME.CONTINUE))
    assert response.status_code == 403
    assert not AnnualReview.objects.exists()


# Reviews due --------------------------------------------------------------------------------


@pytest.fixture
def due_files(org):
    today = timezone.localdate()
    days = datetime.timedelta

    def make(union, name, due, **kwargs):
        household = HouseholdFactory(in_file=True, union=union, worker_name=name, **kwargs)
        HardshipCauseFactory(household=household, cause="low_income")
        return with_due_date(household, due)

    return {
        "soon": make(org.g1a, "三十天内", today + days(30)),
        "today": make(org.g1a, "今天到期", today),
        "overdue": make(org.g1b, "已逾期", today - days(45)),
        "later": make(org.g1a, "尚早", today + days(31)),
        "exited": with_due_date(
            HouseholdFactory(exited=True, union=org.g1a, worker_name="已脱困"), today - days(10)
        ),
        "other": make(org.g2a, "外公司", today - days(3)),
    }


def test_reviewer_can_list_reviews_due_within_30_days_or_overdue(client, due_files, reviewer_c1):
    listed = set(reviews_due(reviewer_c1).values_list("worker_name", flat=True))
    assert listed == {"三十天内", "今天到期", "已逾期"}
    client.force_login(reviewer_c1)
    response = client.get(reverse("review_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert [h.worker_name for h in response.context["page"]] == [
        "已逾期",
        "今天到期",
        "三十天内",
    ]
    assert "共 3 户" in page
    for key in ("soon", "today", "overdue"):
        assert reverse("review_create", args=[due_files[key].pk]) in page
    for name in ("尚早", "已脱困", "外公司"):
        assert name not in page
    assert "已逾期" in page and "即将到期" in page


def test_caseworker_cannot_see_reviews_due_in_another_union(
    client, due_files, caseworker_g1a, caseworker_g2a
):
    assert set(reviews_due(caseworker_g1a).values_list("worker_name", flat=True)) == {
        "三十天内",
        "今天到期",
    }
    assert set(reviews_due(caseworker_g2a).values_list("worker_name", flat=True)) == {"外公司"}


def test_auditor_can_see_reviews_due_across_the_tree(due_files, auditor_fed):
    assert set(reviews_due(auditor_fed).values_list("worker_name", flat=True)) == {
        "三十天内",
        "今天到期",
        "已逾期",
        "外公司",
    }


def test_caseworker_can_take_a_file_off_the_due_list_by_reviewing_it(
    client, due_files, caseworker_g1a
):
    household = due_files["today"]
    assert (
        review(
            client, caseworker_g1a, household, review_data(household, OUTCOME.CONTINUE)
        ).status_code
        == 302
    )
    assert household.pk not in set(reviews_due(caseworker_g1a).values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["worker_g1a", "outsider", "admin_fed"])
def test_non_reader_cannot_open_the_review_list(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("review_list")).status_code == 403


def test_caseworker_can_see_the_first_review_fall_due_12_months_after_establishment(
    org, caseworker_g1a
):
    from households import services

    household = HouseholdFactory(union=org.g1a)
    on = datetime.date(2026, 1, 31)
    services.household_establish(actor=caseworker_g1a, household=household, on=on)
    household.refresh_from_db()
    assert household.review_due_on == datetime.date(2027, 1, 31)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_the_reviews_due_are_paged_soonest_first(client, org, reviewer_c1):
    """A province's reviews due run to thousands: the page shows 25 of them, and the next
    page the following ones, in order of their due date."""
    today = timezone.localdate()
    for n in range(27):
        household = HouseholdFactory(in_file=True, union=org.g1a, worker_name=f"职工{n:02d}")
        with_due_date(household, today - datetime.timedelta(days=n))
    client.force_login(reviewer_c1)
    first = client.get(reverse("review_list"))
    second = client.get(reverse("review_list"), {"page": 2})
    names = [h.worker_name for h in first.context["page"]]
    assert names == [f"职工{n:02d}" for n in range(26, 1, -1)]
    assert [h.worker_name for h in second.context["page"]] == ["职工01", "职工00"]
    assert "共 27 户" in first.content.decode()
