"""Opening duties and doing them (casework.models.Duty).

Events open duties (`duty_open`); the visit, review or renewed evidence that does one closes
it (`duties_done_by_visit`, `…_by_review`, `…_by_renewal`), called by the service that
records it, in the same transaction. Nothing else closes a duty."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Application
from casework.models import AnnualReview, Duty, Visit
from casework.notifications import notify_assigned
from hardship.models import PolicyParameter
from hardship.policy import policy_value_or_default
from households.models import Evidence, Household

# Applications that tell of an event someone must visit for.
APPLICATION_DUTIES = {
    Application.Kind.MEDICAL: Duty.Kind.HOSPITAL_VISIT,
    Application.Kind.EMERGENCY: Duty.Kind.EMERGENCY_VISIT,
}

# Days from the event to the deadline, per kind (policy parameters with validity periods).
DEADLINE_KEYS = {
    Duty.Kind.HOSPITAL_VISIT: PolicyParameter.Key.VISIT_DAYS_HOSPITAL,
    Duty.Kind.BEREAVEMENT_VISIT: PolicyParameter.Key.VISIT_DAYS_BEREAVEMENT,
    Duty.Kind.EMERGENCY_VISIT: PolicyParameter.Key.VISIT_DAYS_EMERGENCY,
    Duty.Kind.CONTACT: PolicyParameter.Key.CONTACT_DAYS,
}


def deadline(kind: str, household: Household, event_on: datetime.date) -> datetime.date:
    """When a duty of `kind` opened by an event on `event_on` is due. The review is due on its
    own date and a renewal on the evidence's last valid day: event_on is the deadline."""
    key = DEADLINE_KEYS.get(kind)
    if key is None:
        return event_on
    days = policy_value_or_default(key, household.union, event_on)
    return event_on + datetime.timedelta(days=int(days))


def duty_open(
    *, household: Household, kind: str, event_on: datetime.date, reason: str, evidence=None
) -> Duty:
    """Open a duty for the household, or return the one of that kind already open (for a
    renewal: of that evidence), which keeps its earlier deadline."""
    open_duties = Duty.objects.filter(household=household, kind=kind, done_on__isnull=True)
    if evidence is not None:
        open_duties = open_duties.filter(evidence=evidence)
    existing = open_duties.first()
    if existing is not None:
        return existing
    duty = Duty(
        household=household,
        kind=kind,
        event_on=event_on,
        due_on=deadline(kind, household, event_on),
        reason=reason[:200],
        assignee_id=household.responsible_user_id,
        evidence=evidence,
    )
    try:
        # Two events at once (a report and an application): the second finds the first's.
        with transaction.atomic():
            duty.save()
    except IntegrityError:
        return open_duties.get()
    notify_assigned(duty)
    return duty


def duty_for_application(application) -> Duty | None:
    """A medical-aid application means a hospitalisation (住院必访); an emergency-relief one an
    emergency (突发事件必访). The deadline runs from the filing."""
    kind = APPLICATION_DUTIES.get(application.kind)
    if kind is None:
        return None
    return duty_open(
        household=application.household,
        kind=kind,
        event_on=timezone.localdate(application.filed_at),
        reason=f"{application.get_kind_display()}申请 {application.number}",
    )


def duty_check_visit(duty: Duty, *, household: Household, kind: str, visited_on) -> None:
    """A visit recorded from a task must be the visit that does it: the same household, open,
    the kind the task asks for (keeping in touch: any), on or after its event."""
    if duty.household_id != household.pk:
        raise ValidationError(_("该任务不属于这户档案。"))
    if duty.done_on is not None:
        raise ValidationError(_("该任务已经完成。"))
    if duty.kind not in Duty.VISIT_KIND:
        raise ValidationError(_("该任务不是走访任务。"))
    wanted = Duty.VISIT_KIND[duty.kind]
    if wanted is not None and kind != wanted:
        raise ValidationError(
            {"kind": _("该任务须登记“%(k)s”。") % {"k": Visit.Kind(wanted).label}}
        )
    if visited_on < duty.event_on:
        raise ValidationError(
            {"visited_on": _("走访日期不能早于任务事由日期 %(d)s。") % {"d": duty.event_on}}
        )


def duties_done_by_visit(visit: Visit) -> list[Duty]:
    """Close the household's open visiting duties this visit does: a must-visit by a visit of
    its kind on or after the event, keeping in touch by any visit."""
    done = []
    duties = Duty.objects.select_for_update().filter(
        household_id=visit.household_id,
        done_on__isnull=True,
        kind__in=list(Duty.VISIT_KIND),
        event_on__lte=visit.visited_on,
    )
    for duty in duties:
        wanted = Duty.VISIT_KIND[duty.kind]
        if wanted is not None and wanted != visit.kind:
            continue
        duty.done_on, duty.visit = visit.visited_on, visit
        duty.save(update_fields=["done_on", "visit"])
        done.append(duty)
    if any(d.kind == Duty.Kind.CONTACT for d in done):
        # Keeping in touch never ends while the file is open: the next contact runs from here.
        household = Household.objects.select_related("union").get(pk=visit.household_id)
        if household.status == Household.Status.IN_FILE:
            duty_open(
                household=household,
                kind=Duty.Kind.CONTACT,
                event_on=visit.visited_on,
                reason=_("定期联系（上次走访 %(d)s）") % {"d": visit.visited_on},
            )
    return done


def duties_done_by_review(review: AnnualReview) -> list[Duty]:
    duties = list(
        Duty.objects.select_for_update().filter(
            household_id=review.household_id, kind=Duty.Kind.REVIEW, done_on__isnull=True
        )
    )
    for duty in duties:
        duty.done_on, duty.review = review.reviewed_on, review
        duty.save(update_fields=["done_on", "review"])
    return duties


def duties_done_by_renewal(evidence: Evidence) -> list[Duty]:
    """New evidence of the same kind, valid longer than (or without end unlike) the expiring
    one, renews it."""
    duties = []
    for duty in (
        Duty.objects.select_for_update()
        .filter(
            household_id=evidence.household_id,
            kind=Duty.Kind.EVIDENCE_RENEWAL,
            done_on__isnull=True,
            evidence__kind=evidence.kind,
        )
        .select_related("evidence")
    ):
        if duty.evidence_id == evidence.pk:
            continue
        old_end = duty.evidence.valid_until
        if (
            evidence.valid_until is not None
            and old_end is not None
            and evidence.valid_until <= old_end
        ):
            continue
        duty.done_on, duty.renewal = timezone.localdate(), evidence
        duty.save(update_fields=["done_on", "renewal"])
        duties.append(duty)
    return duties
