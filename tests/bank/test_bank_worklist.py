"""A card the bank returned a payment to is on the household's responsible person's task
list until the card is fixed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hardship.worklist import items_for
from households.models import Household

pytestmark = pytest.mark.django_db


def cards(user):
    return [i for i in items_for(user, timezone.localdate()) if i.source == "银行卡退回"]


def test_a_returned_card_reminds_the_responsible_person(household_g1a, caseworker_g1a, chair_g1a):
    Household.objects.filter(pk=household_g1a.pk).update(
        responsible_user=caseworker_g1a, card_problem="账户已销户", card_problem_at=timezone.now()
    )
    [item] = cards(caseworker_g1a)
    assert item.detail == "账户已销户"
    assert item.url == reverse("household_edit", args=[household_g1a.pk])
    assert cards(chair_g1a) == []
    Household.objects.filter(pk=household_g1a.pk).update(card_problem="", card_problem_at=None)
    assert cards(caseworker_g1a) == []
