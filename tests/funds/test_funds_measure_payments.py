"""A payment carries out the measure its application carries out: the household page's
plan lists it under the measure."""

import datetime

import pytest
from fundkit import pay

from cases.models import Application
from households.models import AidMeasure

pytestmark = pytest.mark.django_db


def test_the_payment_of_a_linked_application_is_listed_under_its_measure(
    client, caseworker_g1a, finance_c1, fund_c1, effective, household
):
    measure = AidMeasure.objects.create(household=household, cause="illness", measure="living")
    application = effective("5000")
    Application.objects.filter(pk=application.pk).update(measure=measure)
    pay(finance_c1, fund_c1, application, "1200", paid_on=datetime.date(2026, 3, 1))

    client.force_login(caseworker_g1a)
    page = client.get(household.get_absolute_url()).content.decode()
    row = page[page.index(f'id="measure-{measure.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "发放：2026-03-01 1,200.00 元" in row
    assert application.number in row
