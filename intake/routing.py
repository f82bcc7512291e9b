"""Where a contact goes: the unit that handles it, the handler, the deadline, and who the
caller is when the register already knows them.

The rules, in order (docs/architecture.md, "intake"):
1. a complaint is handled by the unit above the one complained about;
2. otherwise by the worker's unit (the matched file's union when there is one);
3. a unit outside the recording staff's own scope is routed up to the first unit above it
   that also covers the recorder, never sideways;
4. the handler: a topic rule (TopicRule) of the nearest unit, else the unit's duty
   caseworker (DutyCaseworker), else its first caseworker, chair or reviewer; a unit with
   none of them passes it to the unit above;
5. the deadline: the topic's policy parameter in force for the unit, from the day received.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hardship import access
from hardship.idnumber import normalise_id_number
from hardship.models import Membership, PolicyParameter, Role, Unit, User
from hardship.policy import policy_value_or_default
from households.models import Household
from intake.models import DutyCaseworker, Topic, TopicRule
from intake.scope import RECEPTION

DEADLINE_KEYS = {
    Topic.HELP: PolicyParameter.Key.INTAKE_DAYS_HELP,
    Topic.POLICY: PolicyParameter.Key.INTAKE_DAYS_POLICY,
    Topic.LEGAL: PolicyParameter.Key.INTAKE_DAYS_LEGAL,
    Topic.EMPLOYMENT: PolicyParameter.Key.INTAKE_DAYS_EMPLOYMENT,
    Topic.COMPLAINT: PolicyParameter.Key.INTAKE_DAYS_COMPLAINT,
    Topic.OTHER: PolicyParameter.Key.INTAKE_DAYS_OTHER,
}
# Who takes a unit's contacts when no duty caseworker is set, in this order.
HANDLER_ROLES = (Role.CASEWORKER, Role.GRASSROOTS_CHAIR, Role.COMPANY_REVIEWER)


@dataclass
class Match:
    household: Household | None = None
    worker_account: User | None = None


@dataclass
class Route:
    unit: Unit
    handler: User | None
    note: str


def match_caller(id_number: str, phone: str) -> Match:
    """The household (and the worker's account) an ID number or phone belongs to, searched
    across the whole register so the contact reaches the right union; nothing is shown to
    the recorder from it. A phone must name exactly one live file."""
    live = (Household.Status.IN_FILE, Household.Status.DRAFT)
    household = None
    number = normalise_id_number(id_number or "")
    if number:
        rows = list(Household.objects.filter(id_number=number).select_related("union"))
        rows.sort(key=lambda h: (h.status not in live, h.status != Household.Status.IN_FILE, -h.pk))
        household = rows[0] if rows else None
    elif phone:
        rows = list(
            Household.objects.filter(phone=phone, status__in=live).select_related("union")[:2]
        )
        household = rows[0] if len(rows) == 1 else None
    account = household.worker_account if household else None
    if account is None and number:
        account = User.objects.filter(id_number=number).first()
    return Match(household, account)


def _ancestors(unit: Unit) -> list[Unit]:
    """The unit and those above it, nearest first."""
    ids = access.ancestor_ids(unit.path)
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[pk] for pk in reversed(ids)]


def _eligible(user: User, unit: Unit, about: Unit | None) -> bool:
    if not access.covers(user, RECEPTION, unit.path):
        return False
    if about is not None:
        return not any(m.unit.path.startswith(about.path) for m in access.memberships_of(user))
    return True


def _handler_at(unit: Unit, topic: str, about: Unit | None) -> tuple[User | None, str]:
    for level in _ancestors(unit):
        rule = TopicRule.objects.filter(unit=level, topic=topic).select_related("handler").first()
        if rule and _eligible(rule.handler, unit, about):
            return rule.handler, _("分类分办规则（%(unit)s）") % {"unit": level.name}
    for level in _ancestors(unit):
        duty = DutyCaseworker.objects.filter(unit=level).select_related("user").first()
        if duty and _eligible(duty.user, unit, about):
            return duty.user, _("%(unit)s值班人员") % {"unit": level.name}
        for role in HANDLER_ROLES:
            for membership in (
                Membership.objects.filter(unit=level, role=role)
                .select_related("user")
                .order_by("pk")
            ):
                if membership.user.is_active and _eligible(membership.user, unit, about):
                    return membership.user, _("%(unit)s%(role)s") % {
                        "unit": level.name,
                        "role": Role(role).label,
                    }
    return None, _("无可承办人员，待上级指派")


def route(*, recorder: User, topic: str, worker_unit: Unit | None, household, about_unit) -> Route:
    notes = []
    if topic == Topic.COMPLAINT:
        if about_unit is None:
            raise ValidationError({"about_unit": _("投诉须选择被投诉的单位。")})
        if about_unit.parent_id is None:
            message = _("对%(unit)s的投诉须向其上级工会反映，本系统无法受理。")
            raise ValidationError({"about_unit": message % {"unit": about_unit.name}})
        unit = about_unit.parent
        notes.append(_("投诉由被投诉单位的上级办理"))
    else:
        unit = household.union if household is not None else worker_unit
        if unit is None:
            raise ValidationError({"worker_unit": _("请选择职工所在单位。")})
    own = access.scope_paths(recorder, RECEPTION)
    if own and not any(unit.path.startswith(path) for path in own):
        above = next((u for u in _ancestors(unit) if any(p.startswith(u.path) for p in own)), None)
        if above is None:
            raise ValidationError(_("该单位不在您所在组织之内，无法登记。"))
        unit = above
        notes.append(_("所涉单位不在登记人范围内，转上级办理"))
    about = about_unit if topic == Topic.COMPLAINT else None
    handler, how = _handler_at(unit, topic, about)
    notes.append(how)
    return Route(unit=unit, handler=handler, note="；".join(notes)[:200])


def due_date(topic: str, unit: Unit, received_on: datetime.date) -> datetime.date:
    days = policy_value_or_default(DEADLINE_KEYS[topic], unit, received_on)
    return received_on + datetime.timedelta(days=int(days))
