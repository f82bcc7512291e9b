"""Who the households in file are, in the breakdowns the texts publish: housing, children in
school, serious illness, age band by sex with the "4050" group, and the family's work.

Each function lays out rows from the counts of households.composition (a "figure:value" mapping,
summed over the unions in scope): the counting is done there, in a few grouped queries."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from households.assessment import WORKING_AGE
from households.composition import AGE_BANDS, ILL_HEALTH, IN_SCHOOL, key
from households.models import Gender, Health, Household, Member

Stage = Member.SchoolStage


def by_value(counts: Counter, figure: str, choices) -> list[tuple[str, int]]:
    """A figure counted by value, every choice listed."""
    return [(label, counts[key(figure, value)]) for value, label in choices]


def housing(counts: Counter) -> list[tuple[str, int]]:
    """Files by housing (住房情况), every kind listed."""
    return by_value(counts, "housing", Household.Housing.choices)


@dataclass(frozen=True)
class Row:
    label: str
    households: int
    people: int


def school_stages(counts: Counter) -> list[Row]:
    """Families with a member at each school stage and how many are there, then families
    with anyone in school and those in compulsory schooling (the texts: "26 with children in
    school, 4 compulsory, 22 university"). A family with two children at one stage is one
    household, two people."""
    labels = dict(Stage.choices)

    def row(label, stage):
        return Row(label, counts[key("school_h", stage)], counts[key("school_p", stage)])

    rows = [row(str(labels[stage]), stage) for stage in IN_SCHOOL]
    rows.append(row(_("其中义务教育（小学、初中）"), "compulsory"))
    rows.append(row(_("有在学子女的户（合计）"), "any"))
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


def health(counts: Counter) -> list[HealthRow]:
    """Serious illness (大病), chronic illness and disability: families with someone in
    that state (the worker or a family member), and the people, worker and members apart."""
    labels = dict(Health.choices)
    return [
        HealthRow(
            state,
            str(labels[state]),
            counts[key("health_h", state)],
            counts[key("health_w", state)],
            counts[key("health_m", state)],
        )
        for state in ILL_HEALTH
    ]


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


def age_by_sex(counts: Counter) -> AgeBySex:
    """The workers by age band and sex, and the 4050 group (women 40+ and men 50+ of working
    age), with those of them out of work."""

    def band(sex, index, which) -> int:  # which: 0 all, 1 out of work
        return counts[key("age_sex_out" if which else "age_sex", sex, index)]

    def in_4050(sex, which) -> int:  # which: 0 all, 1 out of work
        return sum(
            band(sex, index, which)
            for index, (low, high) in enumerate(AGE_BANDS)
            if _in_4050(sex, low, high)
        )

    male, female = Gender.MALE, Gender.FEMALE
    return AgeBySex(
        bands=[
            AgeRow(_band_label(low, high), band(male, i, 0), band(female, i, 0))
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


def members_at_work(counts: Counter) -> list[tuple[str, int]]:
    """Family members of working age (WORKING_AGE) by their work: who could earn and does not
    is what makes a 零就业家庭."""
    return by_value(counts, "at_work", Member.Employment.choices)
