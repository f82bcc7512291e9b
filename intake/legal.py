"""Legal aid (法律援助): the register of stations and lawyers, and every change to a case.
One transaction each, the permission checked inside, the acting user recorded."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hardship import access
from hardship.history import acted_by
from hardship.sequences import next_value
from hardship.validators import clean_id_number, clean_phone
from intake import routing, scope
from intake.models import LegalAidCase, LegalAidProvider

REFUSED = gettext_lazy(
    "只有受理单位及其上级的帮扶专干、基层工会主席和公司工会复核可以办理法律援助。"
)


def _may_write(actor, unit) -> bool:
    return access.covers(actor, scope.RECEPTION, unit.path)


def provider_save(*, actor, unit, name, kind, phone="", address="") -> LegalAidProvider:
    """Add a station or lawyer to the register of the actor's union."""
    if not _may_write(actor, unit):
        raise PermissionDenied(REFUSED)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写名称。")
    try:
        phone = clean_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    provider = LegalAidProvider(
        unit=unit, name=name.strip(), kind=kind, phone=phone, address=(address or "").strip()
    )
    acted_by(actor, provider)
    with transaction.atomic():
        provider.save()
    return provider


def legal_case_open(
    *,
    actor,
    unit,
    worker_name,
    matter,
    summary,
    id_number="",
    phone="",
    contact=None,
    opened_on: datetime.date | None = None,
) -> LegalAidCase:
    """受理: a worker's legal-aid case, from a contact or directly."""
    if not _may_write(actor, unit):
        raise PermissionDenied(REFUSED)
    if contact is not None and not scope.may_handle(actor, contact):
        raise PermissionDenied(REFUSED)
    errors = {}
    if not (worker_name or "").strip():
        errors["worker_name"] = _("请填写职工姓名。")
    if not (summary or "").strip():
        errors["summary"] = _("请填写案情。")
    try:
        id_number = clean_id_number(id_number) if id_number else ""
    except ValidationError as error:
        errors["id_number"] = error.messages
    try:
        phone = clean_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        errors["opened_on"] = _("受理日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    household = routing.match_caller(id_number, phone).household
    if household is not None and not access.covers(
        actor, access.REGISTRY_READERS, household.union.path
    ):
        household = None  # not the actor's to link; the case still stands on its own
    with transaction.atomic():
        year = timezone.localdate().year
        case = LegalAidCase(
            number=f"FY{year}-{next_value(f'legal-aid-{year}'):06d}",
            unit=unit,
            worker_name=worker_name.strip(),
            id_number=id_number,
            phone=phone,
            household=household,
            contact=contact,
            matter=matter,
            summary=summary.strip(),
            opened_on=opened_on,
            created_by=actor,
        )
        acted_by(actor, case)
        case.save()
    return case


def _locked(case) -> LegalAidCase:
    return LegalAidCase.objects.select_for_update().select_related("unit").get(pk=case.pk)


def legal_case_refer(*, actor, case, provider, referred_on: datetime.date) -> LegalAidCase:
    """转介 to a station or lawyer of the register."""
    with transaction.atomic():
        case = _locked(case)
        if not _may_write(actor, case.unit):
            raise PermissionDenied(REFUSED)
        if case.status == LegalAidCase.Status.CONCLUDED:
            raise ValidationError(_("该案件已结案。"))
        if not scope.providers_for(actor).filter(pk=provider.pk, active=True).exists():
            raise ValidationError({"provider": _("请从本单位可用的法律援助机构中选择。")})
        if referred_on > timezone.localdate() or referred_on < case.opened_on:
            raise ValidationError({"referred_on": _("转介日期须在受理日期之后、今天之前。")})
        case.provider = provider
        case.referred_on = referred_on
        case.status = LegalAidCase.Status.REFERRED
        acted_by(actor, case, reason=_("转介"))
        case.save()
    return case


def legal_case_conclude(
    *, actor, case, outcome, amount_recovered: Decimal, concluded_on: datetime.date
) -> LegalAidCase:
    """结案: how it ended and what was recovered for the worker."""
    with transaction.atomic():
        case = _locked(case)
        if not _may_write(actor, case.unit):
            raise PermissionDenied(REFUSED)
        if case.status == LegalAidCase.Status.CONCLUDED:
            raise ValidationError(_("该案件已结案。"))
        errors = {}
        if outcome not in LegalAidCase.Outcome.values:
            errors["outcome"] = _("请选择结案方式。")
        if amount_recovered is None or amount_recovered < 0:
            errors["amount_recovered"] = _("挽回金额不能为负数。")
        elif outcome == LegalAidCase.Outcome.WITHDRAWN and amount_recovered > 0:
            errors["amount_recovered"] = _("撤回的案件没有挽回金额。")
        if concluded_on > timezone.localdate() or concluded_on < case.opened_on:
            errors["concluded_on"] = _("结案日期须在受理日期之后、今天之前。")
        if errors:
            raise ValidationError(errors)
        case.outcome = outcome
        case.amount_recovered = amount_recovered
        case.concluded_on = concluded_on
        case.status = LegalAidCase.Status.CONCLUDED
        acted_by(actor, case, reason=_("结案"))
        case.save()
    return case
