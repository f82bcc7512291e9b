"""Routing: who handles a contact, where, and by when (intake.routing)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory, PolicyParameterFactory, person
from intakekit import record

from hardship.models import PolicyParameter, Role
from intake.models import Contact, DutyCaseworker, TopicRule

pytestmark = pytest.mark.django_db


def test_a_unit_without_a_duty_caseworker_routes_to_its_first_caseworker(
    org, caseworker_g1a, chair_g1a
):
    second = person("caseworker2_g1a", "钱干事", (Role.CASEWORKER, org.g1a))
    contact = record(chair_g1a, worker_unit=org.g1a)
    assert (contact.unit, contact.handler) == (org.g1a, caseworker_g1a)
    DutyCaseworker.objects.create(unit=org.g1a, user=second)
    contact = record(chair_g1a, worker_unit=org.g1a)
    assert contact.handler == second
    assert "值班" in contact.routing_note


def test_a_unit_with_nobody_to_handle_passes_the_contact_to_the_unit_above(
    org, caseworker_g1a, reviewer_c1
):
    contact = record(reviewer_c1, worker_unit=org.g1b)
    assert contact.unit == org.g1b  # still G1b's contact
    assert contact.handler == reviewer_c1  # but nobody in G1b: the company's reviewer


def test_a_topic_rule_names_the_handler(org, caseworker_g1a, reviewer_c1):
    TopicRule.objects.create(unit=org.c1, topic="legal", handler=reviewer_c1)
    legal = record(caseworker_g1a, worker_unit=org.g1a, topic="legal")
    other = record(caseworker_g1a, worker_unit=org.g1a, topic="policy")
    assert legal.handler == reviewer_c1
    assert "分类分办" in legal.routing_note
    assert other.handler == caseworker_g1a


def test_the_deadline_follows_the_topic_from_policy_with_defaults(org, caseworker_g1a):
    received = timezone.now() - datetime.timedelta(days=1)
    day = timezone.localdate(received)
    policy = record(caseworker_g1a, worker_unit=org.g1a, topic="policy", received_at=received)
    assert policy.due_on == day + datetime.timedelta(days=3)  # the default
    PolicyParameterFactory(
        key=PolicyParameter.Key.INTAKE_DAYS_POLICY,
        value=Decimal("10"),
        unit=org.c1,
        valid_from=datetime.date(2020, 1, 1),
    )
    again = record(caseworker_g1a, worker_unit=org.g1a, topic="policy", received_at=received)
    assert again.due_on == day + datetime.timedelta(days=10)


def test_a_complaint_goes_above_the_unit_complained_about(
    client, org, caseworker_g1a, chair_g1a, reviewer_c1
):
    complaint = record(caseworker_g1a, topic="complaint", about_unit=org.g1a)
    assert (complaint.unit, complaint.handler) == (org.c1, reviewer_c1)
    # The complained-about union's staff neither see nor handle it.
    client.force_login(chair_g1a)
    assert client.get(reverse("intake_detail", args=[complaint.pk])).status_code == 404
    assert complaint.number not in client.get(reverse("intake_register")).content.decode()


def test_someone_of_the_complained_about_unit_stands_aside_whatever_else_they_hold(
    client, org, caseworker_g1a, reviewer_c1
):
    both = person(
        "both", "吴两任", (Role.COMPANY_REVIEWER, org.c1), (Role.GRASSROOTS_CHAIR, org.g1a)
    )
    complaint = record(caseworker_g1a, topic="complaint", about_unit=org.g1a)
    assert complaint.handler == reviewer_c1  # not `both`, though a reviewer of C1 too
    client.force_login(both)
    response = client.post(reverse("intake_act", args=[complaint.pk]), {"note": "已了解。"})
    assert response.status_code == 403
    assert not complaint.actions.exists()


def test_a_complaint_names_a_unit_that_has_one_above_it(org, reviewer_c1):
    with pytest.raises(ValidationError) as error:
        record(reviewer_c1, topic="complaint")
    assert "投诉须选择被投诉的单位" in str(error.value)
    with pytest.raises(ValidationError) as error:
        record(reviewer_c1, topic="complaint", about_unit=org.fed)
    assert "须向其上级工会反映" in str(error.value)
    assert not Contact.objects.exists()


def test_a_caller_is_matched_by_a_normalised_id_number_or_a_phone(
    org, caseworker_g1a, household_g1a
):
    typed = household_g1a.id_number.replace("X", "x")
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in typed)
    contact = record(caseworker_g1a, worker_unit=org.g1a, id_number=f" {wide} ", phone="")
    assert contact.household == household_g1a
    assert contact.id_number == household_g1a.id_number
    by_phone = record(caseworker_g1a, worker_unit=org.g1a, phone=household_g1a.phone)
    assert by_phone.household == household_g1a


def test_a_household_outside_the_recorder_s_scope_routes_the_contact_up(
    client, org, caseworker_g1a, reviewer_c1
):
    elsewhere = HouseholdFactory(in_file=True, union=org.g1b)
    contact = record(caseworker_g1a, worker_unit=org.g1a, id_number=elsewhere.id_number)
    assert contact.household == elsewhere
    assert (contact.unit, contact.handler) == (org.c1, reviewer_c1)
    assert "转上级" in contact.routing_note
    client.force_login(caseworker_g1a)
    assert client.get(reverse("intake_detail", args=[contact.pk])).status_code == 404
    client.force_login(reviewer_c1)
    assert client.get(reverse("intake_detail", args=[contact.pk])).status_code == 200


def test_another_union_s_contact_is_not_found(client, org, caseworker_g1a, caseworker_g2a):
    contact = record(caseworker_g1a, worker_unit=org.g1a)
    client.force_login(caseworker_g2a)
    for name in ("intake_detail", "intake_attachment", "intake_household"):
        assert client.get(reverse(name, args=[contact.pk])).status_code == 404, name
    assert client.post(reverse("intake_act", args=[contact.pk]), {"note": "x"}).status_code == 404
    # Nor can a recorder file a contact for a union outside their own.
    with pytest.raises(Exception) as error:
        record(caseworker_g2a, worker_unit=org.g1a)
    assert error.type.__name__ == "PermissionDenied"
