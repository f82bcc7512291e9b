"""Who the households in file are, in the breakdowns the texts publish: housing, children in
school, serious illness, age band by sex with the "4050" group, and the family's work.

Each function counts in the database with conditional aggregates: one query (two for
health) whatever the number of files, so the statistics page costs the same at any scale."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from households.assessment import WORKING_AGE, working_age_births
from households.models import Gender, Health, Household, Member

Stage = Member.SchoolStage
IN_SCHOOL = [value for value in Stage.values if value != Stage.NONE]
COMPULSORY = [Stage.PRIMARY, Stage.MIDDLE]  # 义务教育
# The health states a file records beyond "healthy", worst first.
ILL_HEALTH = [Health.SERIOUS, Health.CHRONIC, Health.DISABLED]
OUT_OF_WORK = [Household.EmploymentStatus.LAID_OFF, Household.EmploymentStatus.TERMINATED]


def turned(on: datetime.date, years: int) -> str:
    """The birth date, as the ID number writes it (digits 7–14), of someone turning `years`
    on `on`: older when born on or before it. Compared as text, as the ID number's digits
    are, a leap day needs no date arithmetic."""
    return f"{on.year - years:04d}{on.month:02d}{on.day:02d}"


def housing(households) -> list[tuple[str, int]]:
    """Files by housing (住房情况), every kind listed."""
    found = dict(households.values_list("housing").annotate(n=Count("pk")).order_by())
    return [(label, found.get(value, 0)) for value, label in Household.Housing.choices]


@dataclass(frozen=True)
class Row:
    label: str
    households: int
    people: int


def school_stages(households) -> list[Row]:
    """Families with a member at each school stage and how many are there, then families
    with anyone in school and those in compulsory schooling (the texts: "26 with children in
    school, 4 compulsory, 22 university"). A family with two children at one stage is one
    household, two people."""
    members = Member.objects.filter(household__in=households)
    counts = {}
    for stage in IN_SCHOOL:
        at = Q(school_stage=stage)
        counts[f"{stage}_h"] = Count("household", distinct=True, filter=at)
        counts[f"{stage}_p"] = Count("pk", filter=at)
    for key, stages in (("any", IN_SCHOOL), ("compulsory", COMPULSORY)):
        counts[f"{key}_h"] = Count("household", distinct=True, filter=Q(school_stage__in=stages))
        counts[f"{key}_p"] = Count("pk", filter=Q(school_stage__in=stages))
    found = members.aggregate(**counts)
    labels = dict(Stage.choices)
    rows = [Row(str(labels[s]), found[f"{s}_h"], found[f"{s}_p"]) for s in IN_SCHOOL]
    rows.append(Row(_("其中义务教育（小学、初中）"), found["compulsory_h"], found["compulsory_p"]))
    rows.append(Row(_("有在学子女的户（合计）"), found["any_h"], found["any_p"]))
    return rows


@dataclass(frozen=True)
class HealthRow:
    state: str  # a Health value
    label: str
    households: int  # the worker or a member in that state
    workers: int
    members: int

    @property
    def people(self) -> int:
        return self.workers + self.members


def health(households) -> list[HealthRow]:
    """Serious illness (大病), chronic illness and disability: families with someone in
    that state (the worker or a family member), and the people, worker and members apart."""
    per_household, per_member = {}, {}
    for state in ILL_HEALTH:
        # Uncorrelated, so PostgreSQL hashes the households once (a correlated EXISTS ran
        # once per file: half a second at 30,000 files).
        member = Member.objects.filter(health=state).values("household_id")
        per_household[f"{state}_h"] = Count("pk", filter=Q(worker_health=state) | Q(pk__in=member))
        per_household[f"{state}_w"] = Count("pk", filter=Q(worker_health=state))
        per_member[f"{state}_m"] = Count("pk", filter=Q(health=state))
    found = households.aggregate(**per_household)
    found |= Member.objects.filter(household__in=households).aggregate(**per_member)
    labels = dict(Health.choices)
    return [
        HealthRow(s, str(labels[s]), found[f"{s}_h"], found[f"{s}_w"], found[f"{s}_m"])
        for s in ILL_HEALTH
    ]


# Age bands of the worker for the table by sex: the texts' under 35 and over 50, with the
# 40s and 50s apart so the "4050" group can be read off. (lowest age, highest age or None)
AGE_BANDS = ((0, 34), (35, 39), (40, 49), (50, 59), (60, None))
# 4050人员: women from 40 and men from 50, up to the end of working age (WORKING_AGE in
# households.assessment: before the 60th birthday), the group the texts single out for
# re-employment help.
FROM_4050 = {Gender.FEMALE: 40, Gender.MALE: 50}


def _band_label(low: int, high: int | None) -> str:
    if low == 0:
        return _("%(n)d岁以下") % {"n": high + 1}
    if high is None:
        return _("%(n)d岁及以上") % {"n": low}
    return _("%(low)d至%(high)d岁") % {"low": low, "high": high}


@dataclass(frozen=True)
class AgeRow:
    label: str
    men: int
    women: int

    @property
    def total(self) -> int:
        return self.men + self.women


@dataclass(frozen=True)
class AgeBySex:
    bands: list[AgeRow]
    group_4050: AgeRow  # women 40+ and men 50+ of working age
    out_of_work_4050: AgeRow  # of them, laid off or contract terminated


def _in_4050(sex: str, low: int, high: int | None) -> bool:
    """Whether a band lies in the 4050 group for that sex: the bands split at 40, 50 and at
    the end of working age, so the group is a sum of whole bands."""
    return high is not None and high < WORKING_AGE[1] and low >= FROM_4050[sex]


def age_by_sex(households, on: datetime.date) -> AgeBySex:
    """The workers by age band and sex, and the 4050 group, from one grouped query: each
    file's band is worked out once (a CASE over its ID number's birth date), then counted
    by sex, band and whether the worker is out of work."""
    band = Case(
        *[
            When(born__gt=turned(on, high + 1), then=Value(index))
            for index, (_low, high) in enumerate(AGE_BANDS)
            if high is not None
        ],
        default=Value(len(AGE_BANDS) - 1),
    )
    out = Case(When(employment_status__in=OUT_OF_WORK, then=Value(True)), default=Value(False))
    counts = {(sex, index): [0, 0] for sex in Gender.values for index in range(len(AGE_BANDS))}
    for sex, index, out_of_work, n in (
        households.annotate(born=Substr("id_number", 7, 8))
        .annotate(band=band, out=out)
        .values_list("gender", "band", "out")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if (sex, index) in counts:
            counts[sex, index][0] += n
            counts[sex, index][1] += n if out_of_work else 0

    def in_4050(sex, which) -> int:  # which: 0 all, 1 out of work
        return sum(
            counts[sex, index][which]
            for index, (low, high) in enumerate(AGE_BANDS)
            if _in_4050(sex, low, high)
        )

    male, female = Gender.MALE, Gender.FEMALE
    return AgeBySex(
        bands=[
            AgeRow(_band_label(low, high), counts[male, i][0], counts[female, i][0])
            for i, (low, high) in enumerate(AGE_BANDS)
        ],
        group_4050=AgeRow(
            _("4050人员（女40至59岁、男50至59岁）"),
            in_4050(male, 0),
            in_4050(female, 0),
        ),
        out_of_work_4050=AgeRow(
            _("其中下岗失业或解除劳动合同"),
            in_4050(male, 1),
            in_4050(female, 1),
        ),
    )


def members_at_work(households, on: datetime.date) -> list[tuple[str, int]]:
    """Family members of working age (WORKING_AGE) by their work: who could earn and does not
    is what makes a 零就业家庭."""
    after, until = working_age_births(on)
    found = dict(
        Member.objects.filter(household__in=households, birth_date__gt=after, birth_date__lte=until)
        .values_list("employment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(label, found.get(value, 0)) for value, label in Member.Employment.choices]
