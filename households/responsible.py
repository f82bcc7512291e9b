"""The household's 帮扶责任人: a user of the system who works for the household's union.

Who may be one (the eligibility rule), the users eligible for a union (the edit form's
select box), assigning one with the reason kept in the file's history, and matching the
free-text names an import brought to users."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from hardship import access
from hardship.history import acted_by
from hardship.models import Role, Unit
from households.models import Household

# The union's caseworkers and cadres; a worker, finance, an auditor or an administrator
# does not look after families.
RESPONSIBLE_ROLES = frozenset(
    {Role.CASEWORKER, Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER, Role.COMMITTEE}
)
MATCH_REASON = "帮扶责任人姓名匹配"  # stored data (history), not interface text


def eligible_users(union: Unit):
    """Active users holding a responsible role at `union` or one of its ancestors."""
    return eligible_users_in([union])


def eligible_users_in(unions):
    """Users eligible for at least one of `unions` (a new file's union is chosen on the
    same form; the form checks the chosen one)."""
    ancestors = {pk for union in unions for pk in access.ancestor_ids(union.path)}
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=RESPONSIBLE_ROLES,
            memberships__unit_id__in=ancestors,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def is_eligible(user, union: Unit) -> bool:
    return user is not None and eligible_users(union).filter(pk=user.pk).exists()


def refusal_message() -> str:
    return _("帮扶责任人须是该户所在工会或其上级工会的帮扶专干或工会干部（且账号有效）。")


def check_eligible(user, union: Unit) -> None:
    """Raise ValidationError unless `user` may be the 帮扶责任人 of a household of `union`
    (None, no responsible person, is allowed)."""
    if user is not None and not is_eligible(user, union):
        raise ValidationError({"responsible_user": refusal_message()})


def responsible_assign(*, actor, household: Household, user, reason="") -> Household:
    """Make `user` the household's 帮扶责任人, the reason kept in the file's history."""
    with transaction.atomic():
        household = (
            Household.objects.select_for_update(of=("self",))
            .select_related("union")
            .get(pk=household.pk)
        )
        if not access.can_edit_household(actor, household):
            raise PermissionDenied(
                _("只有能修改该档案的帮扶专干、基层工会主席和公司工会复核可以指定帮扶责任人。")
            )
        if user is None:
            raise ValidationError({"responsible_user": _("请选择帮扶责任人。")})
        check_eligible(user, household.union)
        if household.responsible_user_id == user.pk:
            return household
        household.responsible_user = user
        acted_by(actor, household, reason=(reason or "").strip()[:100])
        household.save(update_fields=["responsible_user", "updated_at"])
    return household


def normalise_name(name: str) -> str:
    """Names compared without any spaces ("王 芳", "王芳 " and "王芳" are one name)."""
    return "".join((name or "").split())


def _names_by_union(unions) -> dict[int, dict[str, list[int]]]:
    """For each union, eligible users' normalised full names → their ids."""
    result = {}
    for union in unions:
        names: dict[str, list[int]] = {}
        for pk, full_name in eligible_users(union).values_list("pk", "full_name"):
            key = normalise_name(full_name)
            if key:
                names.setdefault(key, []).append(pk)
        result[union.pk] = names
    return result


def unmatched(queryset):
    """Households of `queryset` with an imported name and no user as 帮扶责任人."""
    return queryset.filter(responsible_user__isnull=True).exclude(
        Q(responsible_person="") | Q(responsible_person__isnull=True)
    )


def match_responsible_names(households, *, actor=None) -> int:
    """Set the 帮扶责任人 of each of `households` (a queryset) that has an imported name and
    no user, where the name equals the full name of exactly one eligible user; an ambiguous
    or unknown name stays as it is for a person to settle. Returns how many were matched."""
    rows = list(unmatched(households).select_related("union"))
    names = _names_by_union({row.union for row in rows})
    matched = []
    for household in rows:
        candidates = names[household.union_id].get(normalise_name(household.responsible_person))
        if candidates and len(candidates) == 1:
            household.responsible_user_id = candidates[0]
            matched.append(household)
    if matched:
        bulk_update_with_history(
            matched,
            Household,
            ["responsible_user"],
            batch_size=1000,
            default_user=actor,
            default_change_reason=MATCH_REASON,
        )
    return len(matched)
