"""Who reads and who sets the results (绩效评价), each from their part of the tree.

Every registry reader (caseworkers to auditors) reads the indicator sheet of a unit they
cover and the surveys that concern their part of the tree; the committee and the company
union's reviewer set a unit's targets; the reviewer draws a survey's sample; caseworkers and
grassroots chairs record the answers of the households they cover, never of a household
they belong to. Weights are the administrator's (the admin site)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from evaluation.models import Survey, SurveyItem
from hardship import access
from hardship.models import Role, Unit

READERS = access.REGISTRY_READERS
TARGET_SETTERS = frozenset({Role.COMMITTEE, Role.COMPANY_REVIEWER})
SURVEY_DRAWERS = frozenset({Role.COMPANY_REVIEWER})
SURVEY_RECORDERS = frozenset({Role.CASEWORKER, Role.GRASSROOTS_CHAIR})


def reads_results(user) -> bool:
    return bool(access.scope_paths(user, READERS))


def require_reader(user) -> None:
    if not reads_results(user):
        raise PermissionDenied(_("绩效评价供工会工作人员查看。"))


def units_evaluated_by(user):
    """The units whose sheet the user may open: every unit they read, with its subtree."""
    return Unit.objects.filter(access.path_q("path", access.scope_paths(user, READERS)))


def get_unit_for(user, pk, *, set_targets=False) -> Unit:
    """A unit the user reads (else 404); setting its targets needs a setter's role (403)."""
    try:
        unit = units_evaluated_by(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None
    if set_targets and not may_set_targets(user, unit):
        raise PermissionDenied(_("绩效目标由该单位或上级单位的党政班子成员、公司工会复核设定。"))
    return unit


def may_set_targets(user, unit) -> bool:
    return access.covers(user, TARGET_SETTERS, unit.path)


def may_draw(user, unit) -> bool:
    return access.covers(user, SURVEY_DRAWERS, unit.path)


def draws_surveys(user) -> bool:
    return bool(access.scope_paths(user, SURVEY_DRAWERS))


def draw_units(user):
    return Unit.objects.filter(access.path_q("path", access.scope_paths(user, SURVEY_DRAWERS)))


def may_record(user, household) -> bool:
    return access.covers(user, SURVEY_RECORDERS, household.union.path)


def surveys_visible_to(user):
    """Surveys of a unit the user reads, or of a unit above it (a company union's survey
    asks households of each grassroots union below it)."""
    paths = access.scope_paths(user, READERS)
    if not paths:
        return Survey.objects.none()
    above = {ancestor for path in paths for ancestor in access.ancestor_paths(path)}
    return Survey.objects.filter(access.path_q("unit__path", paths) | Q(unit__path__in=above))


def get_survey_for(user, pk) -> Survey:
    try:
        return surveys_visible_to(user).select_related("unit", "drawn_by").get(pk=pk)
    except (Survey.DoesNotExist, ValueError):
        raise Http404 from None


def items_visible_to(user, survey):
    """The survey's households the user may see (their own part of the tree)."""
    paths = access.scope_paths(user, READERS)
    return survey.items.filter(access.path_q("household__union__path", paths))


def get_item_for(user, pk) -> SurveyItem:
    """A drawn household the user sees (else 404); recording needs a recorder's role over
    the household (403)."""
    paths = access.scope_paths(user, READERS)
    try:
        item = (
            SurveyItem.objects.filter(access.path_q("household__union__path", paths))
            .select_related("survey__unit", "household__union")
            .get(pk=pk)
        )
    except (SurveyItem.DoesNotExist, ValueError):
        raise Http404 from None
    if not may_record(user, item.household):
        raise PermissionDenied(_("回访结果由该户所在工会的帮扶专干、基层工会主席登记。"))
    return item
