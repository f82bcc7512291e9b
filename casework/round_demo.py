"""Demo visit rounds (走访轮次), through the services: a festival round under way at the coal
company (60% of its households visited so far, rice from its goods fund), and an earlier
round of its first mine's union finished with every household visited. Few visits: each
goes through the ledger's rules, and the seed must stay quick."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import Visit
from casework.rounds import round_create, round_funds
from casework.services import visit_record
from hardship.models import Unit
from households.models import Household

RICE = {"goods": "大米", "goods_quantity": 25, "goods_unit": "公斤", "goods_value": 150}


def _visit_all(rng, users, visit_round, households, last_day):
    """A festival visit to each of `households` within the round, rice from the round's fund
    where its rules allow (a household at its yearly cap gets rice bought otherwise)."""
    for household in households:
        code = household.union.code.lower()
        start = max(visit_round.starts_on, household.established_on)
        day = start + datetime.timedelta(days=rng.randint(0, max(0, (last_day - start).days)))
        visit = {
            "actor": users[f"{code}_caseworker"],
            "household": household,
            "visited_on": day,
            "kind": Visit.Kind.FESTIVAL,
            "visitors": f"{users[f'{code}_caseworker']}、{users[f'{code}_chair']}",
            "notes": "节日走访，送去大米，了解家庭生活近况。",
            "round": visit_round,
            **RICE,
        }
        try:
            visit_record(fund=visit_round.fund, **visit)
        except ValidationError:
            visit_record(**visit)


def _in_file(units, ends_on):
    return list(
        Household.objects.filter(
            union__in=units, status=Household.Status.IN_FILE, established_on__lte=ends_on
        )
        .select_related("union")
        .order_by("pk")
    )


def seed_rounds(users) -> int:
    rng = random.Random(2027)
    today = timezone.localdate()
    coal = Unit.objects.get(code="MY")
    starts_on, ends_on = today - datetime.timedelta(days=20), today + datetime.timedelta(days=40)
    fund = round_funds(coal).filter(year=today.year, name="工会经费送温暖资金").first()
    running = round_create(
        actor=users["my_reviewer"],
        unit=coal,
        name=f"{ends_on.year} 春节走访",
        starts_on=starts_on,
        ends_on=ends_on,
        fund=fund,
    )
    households = _in_file(Unit.objects.filter(parent=coal), ends_on)
    visited = rng.sample(households, round(len(households) * 0.6))
    _visit_all(rng, users, running, sorted(visited, key=lambda h: h.pk), today)

    mine = Unit.objects.get(code="MY01")
    starts_on, ends_on = today - datetime.timedelta(days=80), today - datetime.timedelta(days=66)
    finished = round_create(
        actor=users["my01_chair"],
        unit=mine,
        name=f"{ends_on.year} 中秋走访",
        starts_on=starts_on,
        ends_on=ends_on,
        fund=round_funds(mine).filter(year=starts_on.year, name="工会经费送温暖资金").first(),
    )
    _visit_all(rng, users, finished, _in_file([mine], ends_on), ends_on)
    return 2
