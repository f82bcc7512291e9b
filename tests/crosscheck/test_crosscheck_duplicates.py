"""Suspected duplicates: the same bank card, phone, or name with birth date across files and
units; a pair marked "not a duplicate" stops appearing; a cancellation goes through the
approval chain; a cancellation for fraud puts the file's people on the watch list, which the
household and application pages show to the reviewer."""

import datetime

import pytest
from casekit import advance, file
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from factories import HouseholdFactory, MemberFactory

from cases import services as case_services
from cases.models import Application
from crosscheck import selectors, services
from crosscheck.models import DuplicateDecision
from hardship.idnumber import birth_date_of
from households.assessment import duplicate_matches

pytestmark = pytest.mark.django_db


def pairs_of(user):
    return {(p.first.pk, p.other_pk): p.reasons for p in selectors.duplicate_pairs_for(user)}


def test_card_phone_and_name_with_birth_date_match_across_units(org, reviewer_c1):
    a = HouseholdFactory(in_file=True, union=org.g1a, bank_account="6222020200112233445")
    b = HouseholdFactory(in_file=True, union=org.g2a, bank_account="6222020200112233445")
    c = HouseholdFactory(union=org.g1b, phone=a.phone)  # a draft counts too
    d = HouseholdFactory(in_file=True, union=org.g1b)
    MemberFactory(
        household=d, name=a.worker_name, birth_date=birth_date_of(a.id_number), id_number=""
    )
    HouseholdFactory(cancelled=True, union=org.g1a, phone=a.phone)  # ended files do not count
    found = duplicate_matches([a])
    assert found == {
        tuple(sorted((a.pk, b.pk))): {"bank_account"},
        tuple(sorted((a.pk, c.pk))): {"phone"},
        tuple(sorted((a.pk, d.pk))): {"name_birth"},
    }
    # The reviewer of C1 sees the pair with G2a's file without its name.
    listed = {
        frozenset((p.first.pk, p.other_pk)): p for p in selectors.duplicate_pairs_for(reviewer_c1)
    }
    assert listed[frozenset((a.pk, b.pk))].second is None
    assert listed[frozenset((a.pk, c.pk))].reasons == ["联系电话相同"]


def test_the_screening_flag_still_names_only_id_number_duplicates(org, household_g1a):
    HouseholdFactory(in_file=True, union=org.g1b, phone=household_g1a.phone)
    from households.assessment import duplicate_id_households

    assert list(duplicate_id_households(household_g1a)) == []


def test_not_a_duplicate_stops_the_pair_appearing(client, org, chair_g1a, household_g1a):
    other = HouseholdFactory(in_file=True, union=org.g1a, phone=household_g1a.phone)
    assert len(pairs_of(chair_g1a)) == 1
    client.force_login(chair_g1a)
    response = client.post(
        reverse("crosscheck_duplicate_decide", args=[household_g1a.pk]),
        {
            "other": other.pk,
            "outcome": "not_duplicate",
            "reason": "夫妻二人分别在两个单位建档，共用一部电话。",
        },
    )
    assert response.status_code == 302
    assert pairs_of(chair_g1a) == {}
    decision = DuplicateDecision.objects.get()
    assert (decision.decided_by, decision.outcome) == (chair_g1a, "not_duplicate")


def test_the_auditor_cannot_decide_a_pair(client, org, auditor_fed, household_g1a):
    other = HouseholdFactory(in_file=True, union=org.g1a, phone=household_g1a.phone)
    client.force_login(auditor_fed)
    url = reverse("crosscheck_duplicate_decide", args=[household_g1a.pk])
    body = {"other": other.pk, "outcome": "not_duplicate", "reason": "x"}
    assert client.post(url, body).status_code == 403
    assert not DuplicateDecision.objects.exists()


def test_a_cancellation_for_fraud_puts_the_people_on_the_watch_list(
    client, org, staff, household_g1a, chair2_g1a, reviewer_c1
):
    other = HouseholdFactory(in_file=True, union=org.g1a, bank_account="6222020200112233445")
    household_g1a.bank_account = other.bank_account
    household_g1a.save(update_fields=["bank_account"])
    spouse_id = household_g1a.members.get().id_number
    with pytest.raises(PermissionDenied):  # a caseworker may cancel, not mark fraud
        services.duplicate_decide(
            actor=staff["caseworker"],
            first=other,
            second=household_g1a,
            outcome="cancellation",
            reason="虚报。",
            cancel=household_g1a,
            fraud=True,
        )
    assert not Application.objects.exists()
    decision = services.duplicate_decide(
        actor=chair2_g1a,
        first=other,
        second=household_g1a,
        outcome="cancellation",
        reason="同一银行卡在两份档案中领取帮扶，经调查为虚报。",
        cancel=household_g1a,
        fraud=True,
    )
    application = decision.application
    assert (application.kind, application.household) == (Application.Kind.CANCEL, household_g1a)
    assert selectors.watched_people() == {}  # not on the watch list until it takes effect

    advance(
        application,
        "in_notice",
        chair=staff["chair"],
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    ends_on = application.notice.ends_on
    case_services.close_due_notices(ends_on + datetime.timedelta(days=1))
    household_g1a.refresh_from_db()
    assert household_g1a.status == "cancelled"
    assert set(selectors.watched_people()) == {household_g1a.id_number, spouse_id}

    # The spouse turns up in a new file in another union: the reviewer is told.
    new = HouseholdFactory(union=org.g1b)
    MemberFactory(household=new, id_number=spouse_id, relation="spouse")
    client.force_login(reviewer_c1)
    page = client.get(new.get_absolute_url()).content.decode()
    assert "监控名单" in page and household_g1a.file_number in page
    new_application = file(
        staff["caseworker"],
        HouseholdFactory(in_file=True, union=org.g1a, id_number=household_g1a.id_number),
    )
    page = client.get(reverse("application_detail", args=[new_application.pk])).content.decode()
    assert "监控名单" in page
    client.force_login(staff["caseworker"])
    page = client.get(reverse("crosscheck_watchlist")).content.decode()
    assert household_g1a.file_number in page and "监控中" in page


def test_only_chairs_and_reviewers_mark_fraud(
    client, org, caseworker_g1a, chair_g1a, staff, household_g1a
):
    application = case_services.application_file(
        actor=caseworker_g1a, household=household_g1a, kind="cancel", reason="虚报收入。"
    )
    client.force_login(caseworker_g1a)
    body = {"application": application.pk, "reason": "虚报收入，骗取帮扶。"}
    assert client.post(reverse("crosscheck_watchlist"), body).status_code == 403
    client.force_login(chair_g1a)
    assert client.post(reverse("crosscheck_watchlist"), body).status_code == 302
    assert selectors.watch_list_for(chair_g1a).get().application == application
