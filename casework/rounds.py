"""Visit rounds (走访轮次): who may start one, which rounds a user sees, the rounds a visit
may count towards, and the rules a visit recorded in a round keeps.

Who starts a round: the grassroots chair, the company union's reviewer or a committee
member, at the round's unit or above it (the people who organise festival visits for
their union); caseworkers record the visits. Every registry reader (finance and auditors
included) reads the rounds that concern their part of the tree and their coverage, counted
over the households they may see; workers and administrators have no access."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from casework.models import VisitRound
from funds.models import AidType, Fund
from hardship import access
from hardship.history import acted_by
from hardship.models import Role, Unit

ROUND_CREATORS = frozenset({Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER, Role.COMMITTEE})


def may_create_rounds(user) -> bool:
    return bool(access.scope_paths(user, ROUND_CREATORS))


def round_units(user):
    """Units the user may start a round for: those where they organise visits, and below."""
    return Unit.objects.filter(access.path_q("path", access.scope_paths(user, ROUND_CREATORS)))


def round_funds(unit):
    """Funds that may pay the goods of a round of `unit`: funds of the unit or of a unit above
    it that pay 物资 (专款专用), so they may pay goods to every household the round covers."""
    candidates = Fund.objects.filter(unit__path__in=access.ancestor_paths(unit.path))
    return Fund.objects.filter(
        pk__in=[f.pk for f in candidates if f.may_pay(AidType.IN_KIND)]
    ).order_by("-year", "name")


def round_fund_choices(user):
    """Funds the round form offers: those that may pay goods for a unit the user may start a
    round for (round_create checks the one chosen against the unit chosen)."""
    paths = access.scope_paths(user, ROUND_CREATORS)
    above = {ancestor for path in paths for ancestor in access.ancestor_paths(path)}
    candidates = Fund.objects.filter(access.path_q("unit__path", paths) | Q(unit__path__in=above))
    return (
        Fund.objects.filter(pk__in=[f.pk for f in candidates if f.may_pay(AidType.IN_KIND)])
        .select_related("unit")
        .order_by("-year", "name")
    )


def rounds_visible_to(user):
    """Rounds of a unit in the user's reading scope, or of a unit above it (a company
    union's round concerns each of its grassroots unions)."""
    paths = access.scope_paths(user, access.REGISTRY_READERS)
    if not paths:
        return VisitRound.objects.none()
    above = {ancestor for path in paths for ancestor in access.ancestor_paths(path)}
    return VisitRound.objects.filter(access.path_q("unit__path", paths) | Q(unit__path__in=above))


def get_round_for(user, pk) -> VisitRound:
    """A round the user may see, else 404."""
    try:
        return rounds_visible_to(user).select_related("unit", "fund", "created_by").get(pk=pk)
    except (VisitRound.DoesNotExist, ValueError):
        raise Http404 from None


def rounds_for_visit(household, day, chosen=None):
    """The rounds a visit to `household` may be recorded in (those under way on `day`, and
    the round the visit was started from, even a finished one: a late entry dated within
    it), and that round itself (None when `chosen` is not a round covering the household)."""
    covering = VisitRound.objects.filter(unit__path__in=access.ancestor_paths(household.union.path))
    chosen_pk = int(chosen) if str(chosen or "").isdigit() else None
    rounds = covering.filter(Q(starts_on__lte=day, ends_on__gte=day) | Q(pk=chosen_pk))
    rounds = rounds.select_related("fund").order_by("-starts_on", "pk")
    return rounds, next((r for r in rounds if r.pk == chosen_pk), None)


def check_visit_in_round(visit_round, household, visited_on) -> None:
    """A visit counts towards a round only within its dates and under its unit."""
    if not household.union.path.startswith(visit_round.unit.path):
        raise ValidationError(
            {
                "round": _("该户不属于走访轮次“%(r)s”覆盖的单位（%(u)s），不能记入该轮次。")
                % {"r": visit_round.name, "u": visit_round.unit.name}
            }
        )
    if not visit_round.is_open_on(visited_on):
        raise ValidationError(
            {
                "visited_on": _("走访日期须在走访轮次“%(r)s”的起止日期（%(s)s 至 %(e)s）之内。")
                % {"r": visit_round.name, "s": visit_round.starts_on, "e": visit_round.ends_on}
            }
        )


def round_create(*, actor, unit, name, starts_on, ends_on, fund=None) -> VisitRound:
    """Start a round of visits (走访轮次) for `unit` and everything under it."""
    if not access.covers(actor, ROUND_CREATORS, unit.path):
        raise PermissionDenied(
            _("只有本单位或上级单位的基层工会主席、公司工会复核、党政班子成员可以创建走访轮次。")
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写轮次名称。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if fund is not None and not round_funds(unit).filter(pk=fund.pk).exists():
        raise ValidationError(
            {
                "fund": _("专款专用：资金账户“%(f)s”不能支付物资，或不是%(u)s及其上级单位的账户。")
                % {"f": fund.name, "u": unit.name}
            }
        )
    visit_round = VisitRound(
        name=name, unit=unit, starts_on=starts_on, ends_on=ends_on, fund=fund, created_by=actor
    )
    acted_by(actor, visit_round)
    with transaction.atomic():
        visit_round.full_clean()
        visit_round.save()
    return visit_round
