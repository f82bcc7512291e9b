"""Demo visits (走访慰问), through the visit form and service. They are recorded after the
money's story (funds.demo) and before its wrap-up closes the ended years, so festival goods
post into years still open; the money story names the bereaved family to call on."""

import datetime
import random

from django.utils import timezone

from casework.change_demo import seed_changes
from casework.duties import duty_open
from casework.duty_jobs import open_due_duties
from casework.forms import VisitForm
from casework.models import Duty, Visit
from casework.round_demo import seed_rounds
from casework.services import visit_record
from funds.visit_goods import visit_goods_funds
from hardship.models import Role
from households.models import Cause, Evidence, Household


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
    """Casework's demo step (hardship.demo.DemoRun): the visits and the duties, once."""
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
    seed_duties(run)


def keep_in_touch(run, today):
    """Responsible persons keep in touch (at least once a quarter): most files had a call or
    a call-round within the last months, so only a few contacts are overdue, as in a
    union that does its work."""
    rng = random.Random(14)
    recent = today - datetime.timedelta(days=80)
    caseworkers = {
        union.pk: user for user, role, union in run.users.values() if role == Role.CASEWORKER
    }
    households = (
        Household.objects.filter(status=Household.Status.IN_FILE)
        .exclude(visits__visited_on__gte=recent)
        .order_by("pk")
    )
    for household in households:
        caseworker = caseworkers.get(household.union_id)
        if caseworker is None or rng.random() < 0.1:
            continue
        visit_record(
            actor=caseworker,
            household=household,
            visited_on=max(
                household.established_on, today - datetime.timedelta(rng.randint(3, 80))
            ),
            kind=Visit.Kind.REGULAR,
            visitors=str(household.responsible_user or caseworker),
            notes="电话联系，了解近况。",
        )


def seed_duties(run):
    """The caseworkers' tasks: responsible persons where none are set, a few must-visits
    (overdue, due soon, and done by a visit recorded from the task), then the daily run
    (reviews, renewals, contacts, overdue notices)."""
    today = timezone.localdate()
    in_file = Household.objects.filter(status=Household.Status.IN_FILE)
    for user, role, union in run.users.values():
        if role != Role.CASEWORKER:
            continue
        ours = in_file.filter(union=union).order_by("pk")
        if not ours.filter(responsible_user__isnull=False).exists():
            Household.objects.filter(pk__in=list(ours.values_list("pk", flat=True)[:12])).update(
                responsible_user=user
            )
        mine = ours.filter(responsible_user=user)
        # Duties the demo's applications opened before anyone was responsible: theirs now.
        Duty.objects.filter(household__in=mine, assignee=None, done_on=None).update(assignee=user)
        mine = list(
            mine.exclude(duties__kind__in=Duty.MUST_VISIT, duties__done_on=None)
            .select_related("union")
            .distinct()[:3]
        )
        events = [(-12, Duty.Kind.HOSPITAL_VISIT, "住院治疗（家属电话告知）")]
        events += [(-1, Duty.Kind.EMERGENCY_VISIT, "家中房屋漏雨受损（邻居反映）")]
        events += [(-20, Duty.Kind.HOSPITAL_VISIT, "住院手术（本人告知）")]
        for household, (ago, kind, reason) in zip(mine, events, strict=False):
            duty = duty_open(
                household=household,
                kind=kind,
                event_on=today + datetime.timedelta(days=ago),
                reason=reason,
            )
            if ago == -20:
                visit_record(
                    actor=user,
                    household=household,
                    visited_on=today - datetime.timedelta(days=16),
                    kind=Duty.VISIT_KIND[kind],
                    visitors=str(user),
                    notes="住院期间走访，了解治疗费用与报销情况。",
                    duty=duty,
                )
    # A document about to expire, where the registry's demo set no end dates.
    if not Evidence.objects.filter(valid_until__isnull=False).exists():
        Evidence.objects.filter(
            pk__in=Evidence.objects.filter(household__in=in_file).values("pk")[:1]
        ).update(valid_until=today + datetime.timedelta(days=20))
    keep_in_touch(run, today)
    counts = open_due_duties(today)
    run.report.append(
        f"{Duty.objects.filter(done_on__isnull=True).count()} open duties (帮扶任务), "
        f"{Duty.objects.filter(done_on__isnull=False).count()} done; "
        f"{counts['overdue_notified']} overdue notices."
    )
