"""Reads for the employment pages, each from the user's scope.

The register (employers, providers, their vacancies and courses) of a unit is seen by the
registry readers of that unit's subtree and by those of the units below it, who refer
their members to it. Members, enrolments, referrals and placements are seen where their
household's file is seen through a union role (a worker's own access does not reach them).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.models import Course, Enrolment, Partner, Placement, Referral, Vacancy
from funds.models import Fund
from hardship import access
from hardship.models import Unit
from households import composition
from households.assessment import working_age_births
from households.models import Household, Member
from households.plans import MeasureLink

NOT_EDITOR = _("只有帮扶专干、基层工会主席和公司工会复核可以办理就业帮扶；审计等角色只能查看。")


def reads_employment(user) -> bool:
    return access.reads_registry(user)


def edits_employment(user) -> bool:
    return bool(access.scope_paths(user, access.REGISTRY_EDITORS))


def _register_unit_ids(user) -> set[int]:
    """Units whose register the user sees: those in their reading scope and every unit
    above one of their scope units."""
    paths = access.scope_paths(user, access.REGISTRY_READERS)
    above = {pk for path in paths for pk in access.ancestor_ids(path)}
    return set(access.unit_ids_under(user, paths)) | above


def may_edit_register(user, unit) -> bool:
    return access.covers(user, access.REGISTRY_EDITORS, unit.path)


def register_units(user):
    """Units whose register the user may add to."""
    return Unit.objects.filter(
        access.path_q("path", access.scope_paths(user, access.REGISTRY_EDITORS))
    )


def partners_visible_to(user, kind=None):
    qs = Partner.objects.filter(unit_id__in=_register_unit_ids(user)).select_related("unit")
    return qs.filter(kind=kind) if kind else qs


def vacancies_visible_to(user):
    return Vacancy.objects.filter(employer__in=partners_visible_to(user)).select_related(
        "employer__unit"
    )


def courses_visible_to(user):
    return Course.objects.filter(provider__in=partners_visible_to(user)).select_related(
        "provider__unit", "fund"
    )


def households_served(user):
    """Households whose employment help the user sees: through a union role only."""
    return Household.objects.filter(union_id__in=access.registry_unit_ids(user))


def jobseekers_counted(user, on=None) -> int:
    """How many members match_members lists unfiltered: read off the composition kept per
    union (its "at work" figure is the same members), as a province's count of them reads
    every member of working age (about 0.7 s at a million files)."""
    on = on or timezone.localdate()
    counts = composition.counts_of_unions(access.registry_unit_ids(user), on)
    figure = composition.key("at_work", Member.Employment.UNEMPLOYED)
    return sum(union_counts[figure] for union_counts in counts.values())


def _fetch(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _check_write(user, household):
    if not access.can_edit_household(user, household):
        raise PermissionDenied(NOT_EDITOR)


def get_household_for(user, pk, *, write=False) -> Household:
    household = _fetch(households_served(user).select_related("union"), pk)
    if write:
        _check_write(user, household)
    return household


def get_member_for(user, pk, *, write=False) -> Member:
    member = _fetch(
        Member.objects.filter(household__in=households_served(user)).select_related(
            "household__union"
        ),
        pk,
    )
    if write:
        _check_write(user, member.household)
    return member


def get_course_for(user, pk) -> Course:
    return _fetch(courses_visible_to(user), pk)


def get_enrolment_for(user, pk, *, write=False) -> Enrolment:
    enrolment = _fetch(
        Enrolment.objects.filter(member__household__in=households_served(user)).select_related(
            "course__provider", "member__household__union"
        ),
        pk,
    )
    if write:
        _check_write(user, enrolment.member.household)
    return enrolment


def get_referral_for(user, pk, *, write=False) -> Referral:
    referral = _fetch(
        Referral.objects.filter(member__household__in=households_served(user)).select_related(
            "employer", "vacancy", "member__household__union", "referred_by"
        ),
        pk,
    )
    if write:
        _check_write(user, referral.member.household)
    return referral


def get_placement_for(user, pk, *, write=False) -> Placement:
    placement = _fetch(
        Placement.objects.filter(
            referral__member__household__in=households_served(user)
        ).select_related(
            "referral__employer", "referral__vacancy", "referral__member__household__union"
        ),
        pk,
    )
    if write:
        _check_write(user, placement.referral.member.household)
    return placement


def age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


AGE_BANDS = {
    "16-34": (16, 34),
    "35-49": (35, 49),
    "50-59": (50, 59),
}


def _born_between(on: datetime.date, youngest: int, oldest: int) -> Q:
    """Members aged `youngest` to `oldest` (inclusive) on `on`."""
    earliest = on.replace(year=on.year - oldest - 1) + datetime.timedelta(days=1)
    try:
        latest = on.replace(year=on.year - youngest)
    except ValueError:
        latest = on.replace(year=on.year - youngest, day=28)
    return Q(birth_date__gte=earliest, birth_date__lte=latest)


def match_members(user, *, vacancy=None, trade="", age_band="", location="", on=None):
    """Members looking for work (无业/失业, of working age, household in file) in the user's
    scope, narrowed by the vacancy's age band and location, or by the filters given. Each
    carries `trades`: the trades of the courses they completed."""
    on = on or timezone.localdate()
    after, until = working_age_births(on)
    qs = Member.objects.filter(
        household__union_id__in=access.registry_unit_ids(user),
        household__status=Household.Status.IN_FILE,
        employment=Member.Employment.UNEMPLOYED,
        birth_date__gt=after,
        birth_date__lte=until,
    )
    if vacancy is not None:
        qs = qs.filter(_born_between(on, vacancy.age_min, vacancy.age_max))
        location = location or vacancy.location
    if age_band in AGE_BANDS:
        qs = qs.filter(_born_between(on, *AGE_BANDS[age_band]))
    if location:
        qs = qs.filter(household__address__contains=location)
    if trade:
        qs = qs.filter(
            enrolments__course__trade=trade, enrolments__result=Enrolment.Result.COMPLETED
        ).distinct()
    completed = Enrolment.objects.filter(result=Enrolment.Result.COMPLETED).select_related("course")
    return (
        qs.select_related("household__union")
        .prefetch_related(Prefetch("enrolments", queryset=completed, to_attr="completed"))
        # Oldest file first: a walk of the files' key that stops at the page, where sorting by
        # union and file number read every jobseeker of a union first (0.2 s at a million).
        .order_by("household_id", "pk")
    )


def household_employment(household: Household):
    """The household's members with their enrolments, referrals and placements."""
    return household.members.prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("course__provider").order_by("-pk"),
        ),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("employer", "placement", "referred_by"),
        ),
    ).order_by("pk")


def pending_placements(user):
    """Placements waiting for a caseworker's confirmation, in the user's scope."""
    return (
        Placement.objects.filter(
            confirmed_at__isnull=True, referral__member__household__in=households_served(user)
        )
        .select_related("referral__employer", "referral__member__household__union")
        .order_by("start_on", "pk")
    )


def recent_referrals(user, limit=20):
    return (
        Referral.objects.filter(member__household__in=households_served(user))
        .select_related("employer", "member__household__union", "placement")
        .order_by("-referred_on", "-pk")[:limit]
    )


def courses_open_for(user, on=None):
    """Courses a member may still be enrolled in: not yet ended."""
    on = on or timezone.localdate()
    return courses_visible_to(user).filter(ends_on__gte=on).order_by("starts_on", "pk")


def _path_ids(unit) -> set[int]:
    return set(access.ancestor_ids(unit.path))


def funds_for_course(provider_unit):
    """Funds a course of a provider registered at `provider_unit` may be charged to: those of
    that unit and of the units above it."""
    return Fund.objects.filter(unit_id__in=_path_ids(provider_unit)).select_related("unit")


def funds_for_course_units(units):
    """The funds offered on the course form: those of the providers' units and above."""
    ids = set().union(*(_path_ids(unit) for unit in units)) if units else set()
    return Fund.objects.filter(unit_id__in=ids).select_related("unit").order_by("-year", "name")


def measure_links(user, measure_ids):
    """Trainings and referrals that carry out the given measures of the aid plan, where the
    user sees the household's employment help (households.plans link source)."""
    served = households_served(user)
    enrolments = Enrolment.objects.filter(
        measure_id__in=measure_ids, member__household__in=served
    ).select_related("member", "course")
    for e in enrolments:
        yield MeasureLink(
            e.measure_id,
            _("培训"),
            f"{e.member.name}：{e.course.name}（{e.get_result_display()}）",
            reverse("employment_household", args=[e.member.household_id]),
        )
    referrals = Referral.objects.filter(
        measure_id__in=measure_ids, member__household__in=served
    ).select_related("member", "employer")
    for r in referrals:
        yield MeasureLink(
            r.measure_id,
            _("职业介绍"),
            f"{r.member.name}：{r.employer.name} {r.position}（{r.get_result_display()}）",
            reverse("employment_household", args=[r.member.household_id]),
        )
