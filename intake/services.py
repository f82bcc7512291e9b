"""Every change to a contact (来电来访来信) goes through one of these functions: one
transaction each, the permission checked again inside, the acting user recorded for history.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from hardship import access
from hardship.history import acted_by
from hardship.models import Role
from hardship.sequences import next_value
from hardship.validators import clean_id_number, clean_phone
from households import services as household_services
from intake import routing, scope
from intake.models import Channel, Contact, ContactAction, IntakeRevealLog, Topic


def _number() -> str:
    year = timezone.localdate().year
    return f"LF{year}-{next_value(f'contact-{year}'):06d}"


def _clean_caller(caller_name, id_number, phone, address) -> dict:
    errors = {}
    values = {"caller_name": (caller_name or "").strip(), "address": (address or "").strip()}
    if not values["caller_name"]:
        errors["caller_name"] = _("请填写来访人姓名。")
    try:
        values["id_number"] = clean_id_number(id_number) if id_number else ""
    except ValidationError as error:
        errors["id_number"] = error.messages
    try:
        values["phone"] = clean_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if not errors and not (values["id_number"] or values["phone"] or values["address"]):
        errors["phone"] = _("请至少填写身份证号、联系电话或通讯地址之一，以便核实身份和告知结果。")
    if errors:
        raise ValidationError(errors)
    return values


def _create(
    *,
    actor,
    channel,
    received_at,
    topic,
    summary,
    caller,
    worker_unit,
    about_unit,
    referred_by="",
    attachment=None,
    attachment_type="",
) -> Contact:
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写反映内容。")})
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"received_at": _("来访时间不能晚于现在。")})
    if channel == Channel.REFERRAL and not referred_by.strip():
        raise ValidationError({"referred_by": _("其他单位转来的，请填写转来单位。")})
    match = routing.match_caller(caller["id_number"], caller["phone"])
    way = routing.route(
        recorder=actor,
        topic=topic,
        worker_unit=worker_unit,
        household=match.household,
        about_unit=about_unit,
    )
    contact = Contact(
        number=_number(),
        channel=channel,
        received_at=received_at,
        topic=topic,
        summary=summary,
        referred_by=referred_by.strip(),
        household=match.household,
        worker_account=match.worker_account,
        worker_unit=match.household.union if match.household else worker_unit,
        about_unit=about_unit if topic == Topic.COMPLAINT else None,
        unit=way.unit,
        handler=way.handler,
        routing_note=way.note,
        due_on=routing.due_date(topic, way.unit, timezone.localdate(received_at)),
        recorded_by=actor,
        **caller,
    )
    if attachment is not None:
        contact.attachment_type = attachment_type
        contact.attachment_name = attachment.name[-200:]
        contact.attachment.save(attachment.name, attachment, save=False)
    acted_by(actor, contact)
    try:
        with transaction.atomic():
            contact.save()
    except Exception:
        if contact.attachment:
            contact.attachment.delete(save=False)
        raise
    return contact


def contact_record(
    *,
    actor,
    channel,
    received_at,
    topic,
    summary,
    caller_name,
    id_number="",
    phone="",
    address="",
    referred_by="",
    worker_unit=None,
    about_unit=None,
    attachment=None,
    attachment_type="",
) -> Contact:
    """Reception staff record a call, visit, letter or referral. `attachment` is a scanned
    letter already checked by households.uploads.sniff_evidence (its content type given)."""
    if not scope.may_record(actor):
        raise PermissionDenied(scope.REFUSED)
    if (
        worker_unit is not None
        and not scope.reception_units(actor).filter(pk=worker_unit.pk).exists()
    ):
        raise PermissionDenied(scope.REFUSED)
    caller = _clean_caller(caller_name, id_number, phone, address)
    with transaction.atomic():
        return _create(
            actor=actor,
            channel=channel,
            received_at=received_at,
            topic=topic,
            summary=summary,
            caller=caller,
            worker_unit=worker_unit,
            about_unit=about_unit,
            referred_by=referred_by,
            attachment=attachment,
            attachment_type=attachment_type,
        )


def complaint_from_finding(*, actor, household, summary, source) -> str:
    """A complaint another part of the system found (a worker telling payment verification
    the money never arrived: hardship.complaints), recorded on the register as referred by
    that work, about the household's union, routed and timed like any complaint. Returns
    its register number."""
    caller = {
        "caller_name": household.worker_name,
        "id_number": household.id_number,
        "phone": household.phone,
        "address": household.address,
    }
    with transaction.atomic():
        contact = _create(
            actor=actor,
            channel=Channel.REFERRAL,
            received_at=timezone.now(),
            topic=Topic.COMPLAINT,
            summary=summary,
            caller=caller,
            worker_unit=household.union,
            about_unit=household.union,
            referred_by=source,
        )
    return contact.number


def contact_submit_online(*, actor, topic, summary, phone="") -> Contact:
    """A worker's own message from their page (网上求助): who they are comes from their
    account and their file, never typed; a complaint is about their own union."""
    memberships = [m for m in access.memberships_of(actor) if m.role == Role.WORKER]
    if not memberships:
        raise PermissionDenied(_("只有职工本人可以在线提交求助或咨询。"))
    household = actor.own_households.select_related("union").order_by("-pk").first()
    unit = household.union if household else memberships[0].unit
    caller = _clean_caller(
        actor.full_name or actor.username,
        actor.id_number or (household.id_number if household else ""),
        phone or (household.phone if household else ""),
        household.address if household else "",
    )
    with transaction.atomic():
        return _create(
            actor=actor,
            channel=Channel.ONLINE,
            received_at=timezone.now(),
            topic=topic,
            summary=summary,
            caller=caller,
            worker_unit=unit,
            about_unit=unit if topic == Topic.COMPLAINT else None,
        )


def _locked(contact) -> Contact:
    return Contact.objects.select_for_update().select_related("unit").get(pk=contact.pk)


def _check_handler(actor, contact):
    if not scope.may_handle(actor, contact):
        raise PermissionDenied(scope.REFUSED)


def contact_act(*, actor, contact, note) -> ContactAction:
    """The handler records a step taken; the first one puts the contact in progress."""
    note = (note or "").strip()
    with transaction.atomic():
        contact = _locked(contact)
        _check_handler(actor, contact)
        if contact.status == Contact.Status.CLOSED:
            raise ValidationError(_("该登记已办结，不能再记录办理情况。"))
        if not note:
            raise ValidationError({"note": _("请填写办理情况。")})
        action = acted_by(actor, ContactAction(contact=contact, note=note, actor=actor))
        action.save()
        if contact.status == Contact.Status.OPEN:
            contact.status = Contact.Status.IN_PROGRESS
            acted_by(actor, contact)
            contact.save(update_fields=["status"])
    return action


def contact_close(*, actor, contact, outcome, told_how, caller_told) -> Contact:
    """办结: the outcome, and the caller has been told it (告知来访人)."""
    outcome, told_how = (outcome or "").strip(), (told_how or "").strip()
    with transaction.atomic():
        contact = _locked(contact)
        _check_handler(actor, contact)
        if contact.status == Contact.Status.CLOSED:
            raise ValidationError(_("该登记已办结。"))
        errors = {}
        if not outcome:
            errors["outcome"] = _("请填写办理结果。")
        if not caller_told:
            errors["caller_told"] = _("须将办理结果告知来访人后才能办结。")
        if not told_how:
            errors["told_how"] = _("请填写告知方式（如电话、面告、书面答复）。")
        if errors:
            raise ValidationError(errors)
        contact.status = Contact.Status.CLOSED
        contact.outcome = outcome
        contact.told_how = told_how
        contact.closed_at = timezone.now()
        if contact.handler_id is None:
            contact.handler = actor
        acted_by(actor, contact, reason=_("办结"))
        contact.save()
    return contact


def contact_follow_up(*, actor, contact, satisfaction, note="") -> Contact:
    """回访: whether the caller was satisfied with how it was handled."""
    with transaction.atomic():
        contact = _locked(contact)
        _check_handler(actor, contact)
        if contact.status != Contact.Status.CLOSED:
            raise ValidationError(_("办结后才能回访。"))
        if contact.satisfaction:
            raise ValidationError(_("该登记已回访。"))
        if satisfaction not in Contact.Satisfaction.values:
            raise ValidationError({"satisfaction": _("请选择回访结果。")})
        contact.satisfaction = satisfaction
        contact.follow_up_note = (note or "").strip()[:500]
        contact.followed_up_at = timezone.now()
        acted_by(actor, contact, reason=_("回访"))
        contact.save()
    return contact


def contact_to_household(*, actor, contact, household, data, members, incomes):
    """A draft household file from the contact (the households app's own service and
    rules), linked to the contact: `household` the unsaved file, `data` its cleaned fields,
    `members` and `incomes` the cleaned rows (as `household_save` takes them)."""
    with transaction.atomic():
        contact = _locked(contact)
        _check_handler(actor, contact)
        if contact.household_id is not None:
            raise ValidationError(_("该登记已关联档案。"))
        household = household_services.household_save(
            actor=actor, household=household, data=data, members=members, incomes=incomes
        )
        contact.household = household
        contact.worker_unit = household.union
        acted_by(actor, contact, reason=_("建立档案"))
        contact.save(update_fields=["household", "worker_unit"])
    return household


def contact_to_application(*, actor, contact, kind, reason, amount=None, self_paid=None):
    """An application for the contact's household (the approval chain's own service),
    linked to the contact."""
    with transaction.atomic():
        contact = _locked(contact)
        _check_handler(actor, contact)
        if contact.household_id is None:
            raise ValidationError(_("请先为该登记建立或关联困难职工档案。"))
        if contact.application_id is not None:
            raise ValidationError(_("该登记已关联申请。"))
        application = case_services.application_file(
            actor=actor,
            household=contact.household,
            kind=kind,
            reason=reason,
            amount=amount,
            self_paid=self_paid,
        )
        contact.application = application
        acted_by(actor, contact, reason=_("提出申请"))
        contact.save(update_fields=["application"])
    return application


def reveal_logged(*, user, field, contact=None, legal_case=None) -> None:
    IntakeRevealLog.objects.create(user=user, field=field, contact=contact, legal_case=legal_case)
