"""Demo visits (走访慰问), through the visit form and service. They are recorded after the
money's story (funds.demo) and before its wrap-up closes the ended years, so festival goods
post into years still open; the money story names the bereaved family to call on."""

import datetime
import random

from django.utils import timezone

from casework.change_demo import seed_changes
from casework.forms import VisitForm
from casework.models import Visit
from casework.round_demo import seed_rounds
from casework.services import visit_record
from funds.visit_goods import visit_goods_funds
from households.models import Cause, Household


def bereavement_visit(users, household, day: datetime.date):
    """The caseworker and the chair call on the family of a worker who died (丧事必访)."""
    union = household.union.code.lower()
    form = VisitForm(
        {
            "visited_on": day.isoformat(),
            "kind": Visit.Kind.BEREAVEMENT,
            "visitors": f"{users[f'{union}_caseworker']}、{users[f'{union}_chair']}",
            "notes": "职工因病去世，上门吊唁，慰问家属，了解遗属生活安排。",
        }
    )
    if form.is_valid():
        visit_record(actor=users[f"{union}_caseworker"], household=household, **form.cleaned_data)


def seed_visits(users):
    """Visits to 80 files over the last 600 days: hospital visits where illness is a cause,
    festival visits with rice from the fund that pays goods (物资), ordinary ones."""
    rng = random.Random(2026)
    households = list(
        Household.objects.filter(status=Household.Status.IN_FILE)
        .select_related("union")
        .prefetch_related("causes")
    )
    for household in rng.sample(households, min(80, len(households))):
        caseworker = users[f"{household.union.code.lower()}_caseworker"]
        illness = any(c.cause == Cause.ILLNESS for c in household.causes.all())
        kind = (
            Visit.Kind.HOSPITAL
            if illness and rng.random() < 0.4
            else rng.choice([Visit.Kind.FESTIVAL, Visit.Kind.REGULAR])
        )
        day = max(
            household.established_on,
            timezone.localdate() - datetime.timedelta(days=rng.randint(5, 600)),
        )
        # Festival visits bring rice and oil bought from the fund that pays goods (物资).
        fund = None
        if kind == Visit.Kind.FESTIVAL:
            fund = visit_goods_funds(household).filter(year=day.year).first()
        form = VisitForm(
            {
                "visited_on": day.isoformat(),
                "kind": kind,
                "visitors": f"{caseworker}、{users[f'{household.union.code.lower()}_chair']}",
                "notes": "住院期间走访，了解治疗费用与报销情况。"
                if kind == Visit.Kind.HOSPITAL
                else "了解家庭生活近况。",
                "fund": fund.pk if fund else "",
                "goods": "大米" if fund else "",
                "goods_quantity": "25" if fund else "",
                "goods_unit": "公斤" if fund else "",
                "goods_value": "150" if fund else "",
            },
            funds=visit_goods_funds(household),
        )
        if form.is_valid():
            visit_record(actor=caseworker, household=household, **form.cleaned_data)


def seed(run) -> None:
    """Casework's demo step (hardship.demo.DemoRun): the visits, once."""
    if Visit.objects.exists():
        return
    users = {username: user for username, (user, _role, _unit) in run.users.items()}
    if "bereaved" in run.story:
        household, day = run.story["bereaved"]
        bereavement_visit(users, household, day)
    seed_visits(users)
    seed_rounds(users)
    run.report.append(f"{Visit.objects.count()} visits recorded (走访慰问).")
    run.report.append(f"{seed_changes(users)} changes reported (情况变更).")
