"""The weights an administrator sets: whole points that sum to 100, refused by the service,
the admin form and the database alike; the sheet in force is the latest begun by the year."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluation.admin import WeightSheetForm
from evaluation.indicators import weights_in_force
from evaluation.models import WeightSheet
from evaluation.services import weights_check

pytestmark = pytest.mark.django_db

TEXTS = {  # 投入 18, 过程 32, 产出 25, 效果 25
    "weight_fund_arrival": 10,
    "weight_spending": 8,
    "weight_visit_coverage": 12,
    "weight_intake_on_time": 10,
    "weight_duties_on_time": 10,
    "weight_person_times": 15,
    "weight_serious_share": 10,
    "weight_exits": 10,
    "weight_satisfaction": 15,
}


def test_weights_summing_to_100_pass():
    weights_check(TEXTS)


def test_weights_not_summing_to_100_are_refused_with_the_sum():
    with pytest.raises(ValidationError) as error:
        weights_check(TEXTS | {"weight_satisfaction": 14})
    assert "现在是 99" in error.value.messages[0]


def test_the_database_refuses_a_sheet_that_does_not_sum_to_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        WeightSheet.objects.create(valid_from_year=2026, **(TEXTS | {"weight_exits": 11}))


def test_the_admin_form_names_the_wrong_sum():
    form = WeightSheetForm(data={"valid_from_year": 2026, **(TEXTS | {"weight_exits": 5})})
    assert not form.is_valid()
    assert "各项指标权重之和必须等于 100，现在是 95。" in form.non_field_errors()


def test_an_administrator_saves_weights_in_the_admin_site(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:evaluation_weightsheet_add"),
        {"valid_from_year": 2026, "note": "", **(TEXTS | {"weight_exits": 30})},
    )
    assert response.status_code == 200 and not WeightSheet.objects.exists()
    response = client.post(
        reverse("admin:evaluation_weightsheet_add"),
        {"valid_from_year": 2026, "note": "", **TEXTS},
    )
    assert response.status_code == 302
    assert WeightSheet.objects.get().weight_of("satisfaction") == 15


def test_the_sheet_in_force_is_the_latest_begun_by_the_year():
    WeightSheet.objects.create(valid_from_year=2024, **TEXTS)
    later = WeightSheet.objects.create(
        valid_from_year=2026, **(TEXTS | {"weight_exits": 5, "weight_satisfaction": 20})
    )
    assert weights_in_force(2023) is None
    assert weights_in_force(2025).valid_from_year == 2024
    assert weights_in_force(2027) == later
