"""The aid plan's rules and reads (一户一计划、一户一措施，脱困时间表): who may own a
measure, which measures a record may carry out, what the plan lacks or has let slip, and
the records of higher apps that carry a measure out (they register a source here, as
history sources are registered in households.selectors, so this app imports none of them).

The list selectors return querysets (with docstrings) so the checks page and a task list
can filter, count and page them alike."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from hardship.models import Unit
from households.models import AidMeasure, HardshipCause, Household
from households.responsible import eligible_users

OPEN = (AidMeasure.Status.PLANNED, AidMeasure.Status.UNDER_WAY)


def measure_owner_choices(union: Unit):
    """Who may own a measure of a household of `union` (措施负责人): the people who may be
    its responsible person (households.responsible: a caseworker, grassroots chair, company
    reviewer or committee member at the union or above it), as a plain queryset a view may
    combine with the owner already chosen."""
    eligible = eligible_users(union).values("pk")
    return get_user_model().objects.filter(pk__in=eligible).order_by("username")


def check_measure_owner(union: Unit, owner) -> None:
    if owner is not None and not measure_owner_choices(union).filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                "owner": _(
                    "措施负责人须是本单位或上级工会的帮扶专干、基层工会主席、公司工会复核或"
                    "党政班子成员：%(name)s 不在其列。"
                )
                % {"name": owner}
            }
        )


def open_measures(household: Household):
    """The household's measures not yet closed: what a payment, visit, training or
    referral may be linked to."""
    return AidMeasure.objects.filter(household=household, status__in=OPEN).order_by("pk")


def check_measure_link(household_id: int, measure: AidMeasure | None) -> None:
    """A record of `household_id` may carry out only an open measure of that household."""
    if measure is None:
        return
    if measure.household_id != household_id:
        raise ValidationError({"measure": _("只能关联本户帮扶计划中的措施。")})
    if measure.status in AidMeasure.CLOSED:
        raise ValidationError(
            {
                "measure": _("该帮扶措施已结束（%(s)s），不能再关联。")
                % {"s": measure.get_status_display()}
            }
        )


def measure_label(measure: AidMeasure) -> str:
    """How a measure reads in a select: kind, detail and target date."""
    text = measure.get_measure_display()
    if measure.detail:
        text = f"{text}：{measure.detail}"
    if measure.target_on:
        text = _("%(m)s（%(d)s 前）") % {"m": text, "d": measure.target_on}
    return text


# --- what the plan lacks or has let slip ----------------------------------------------------


def causes_without_measure(households):
    """The HardshipCause rows of `households` that no measure of the plan addresses (any
    status counts: a cause once planned for is not without a measure)."""
    planned = AidMeasure.objects.filter(household=OuterRef("household"), cause=OuterRef("cause"))
    return HardshipCause.objects.filter(household__in=households).exclude(Exists(planned))


def measures_overdue(households, today: datetime.date):
    """The open (planned or under way) measures of `households` whose target date has
    passed. Closed measures are never overdue."""
    return AidMeasure.objects.filter(household__in=households, status__in=OPEN, target_on__lt=today)


def exit_target_passed(households, today: datetime.date):
    """The households in file among `households` whose exit date (脱困时间表) has passed."""
    return households.filter(status=Household.Status.IN_FILE, exit_target_on__lt=today)


@dataclass(frozen=True)
class Problem:
    code: str  # no_measure, overdue, exit_passed
    message: str


def plan_problems(household: Household, today: datetime.date) -> list[Problem]:
    """The plan's problems for one file in file, read from its prefetched causes and
    measures (the household page): the same rules as the three list selectors above."""
    if household.status != Household.Status.IN_FILE:
        return []
    measures = list(household.measures.all())
    covered = {m.cause for m in measures}
    problems = [
        Problem("no_measure", _("致困原因“%(c)s”尚无帮扶措施。") % {"c": c.get_cause_display()})
        for c in household.causes.all()
        if c.cause not in covered
    ]
    problems += [
        Problem(
            "overdue",
            _("措施“%(m)s”计划于 %(d)s 完成，已逾期 %(n)d 天，仍为“%(s)s”。")
            % {
                "m": measure_label(m),
                "d": m.target_on,
                "n": (today - m.target_on).days,
                "s": m.get_status_display(),
            },
        )
        for m in measures
        if m.status in OPEN and m.target_on and m.target_on < today
    ]
    if household.exit_target_on and household.exit_target_on < today:
        problems.append(
            Problem(
                "exit_passed",
                _("计划脱困日期 %(d)s 已过，该户仍在档：请复核脱困或调整脱困时间表。")
                % {"d": household.exit_target_on},
            )
        )
    return problems


# --- records of higher apps that carry a measure out ----------------------------------------


@dataclass(frozen=True)
class MeasureLink:
    measure_id: int
    kind: str  # what the record is: 申请, 走访, 培训, 职业介绍
    text: str
    url: str = ""


_LINK_SOURCES = []


def add_measure_link_source(source) -> None:
    """`source(user, measure_ids)` yields the MeasureLink of the records it keeps that
    carry out those measures, as `user` may see them (from the app's AppConfig.ready())."""
    if source not in _LINK_SOURCES:
        _LINK_SOURCES.append(source)


def measure_links(user, measures) -> dict[int, list[MeasureLink]]:
    """Each measure's linked records, by measure id (one query per source)."""
    ids = [m.pk for m in measures]
    links: dict[int, list[MeasureLink]] = {pk: [] for pk in ids}
    if ids:
        for source in _LINK_SOURCES:
            for link in source(user, ids):
                links[link.measure_id].append(link)
    return links


@dataclass(frozen=True)
class PlanRow:
    measure: AidMeasure
    links: list

    @property
    def is_open(self) -> bool:
        return self.measure.status in OPEN


def plan_rows(user, household: Household) -> list[PlanRow]:
    """The household page's plan: each (prefetched) measure with its linked records."""
    measures = list(household.measures.all())
    links = measure_links(user, measures)
    return [PlanRow(m, links[m.pk]) for m in measures]
