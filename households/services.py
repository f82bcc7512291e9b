"""Every change to a household file goes through one of these functions.

Each checks permission, validates, writes in one transaction and records the acting user
for history with hardship.history.acted_by (the request middleware names the signed-in
user for web requests; acted_by covers commands and tests too).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship import access
from hardship.history import acted_by
from hardship.models import Unit
from hardship.sequences import next_value
from households import cards, plans
from households.models import (
    AidMeasure,
    Cause,
    Evidence,
    HardshipCause,
    Household,
    IncomeItem,
    Member,
    main_cause_by_default,
)
from households.responsible import check_eligible
from households.reviews import next_review_due
from households.uploads import check_valid_until


def _file_number_prefix(union: Unit) -> str:
    return f"{union.code}-{timezone.localdate():%Y}-"


def _last_file_number(prefix: str) -> int:
    """The highest number already filed under `prefix`, where the counter starts."""
    numbers = Household.objects.filter(file_number__startswith=prefix).values_list(
        "file_number", flat=True
    )
    return max(
        (int(n.removeprefix(prefix)) for n in numbers if n.removeprefix(prefix).isdigit()),
        default=0,
    )


def reserve_file_numbers(union: Unit, count: int) -> list[str]:
    """`count` consecutive file numbers (档案编号 UNION-YEAR-0001) for new households of
    `union`, from the locked counter of that union and year. Call it inside the transaction
    that saves those households: the counter row stays locked until that transaction ends."""
    if count <= 0:
        return []
    prefix = _file_number_prefix(union)
    start = next_value(f"file:{prefix}", count=count, taken=lambda: _last_file_number(prefix))
    return [f"{prefix}{n:04d}" for n in range(start, start + count)]


# aid_plan_save: leave the household's exit date as it is.
KEEP = object()

# What a formset's row carries besides the record's own fields.
_ROW_KEYS = {"id", "DELETE", "household"}


def _save_rows(actor, model, household, rows, reason="") -> None:
    """Apply a list of rows (an inline formset's cleaned_data) to the household's `model`
    records: a row's `id` is the stored record or None for a new one (a record of another
    household is ignored), `DELETE` removes it, an empty row is skipped. Only records whose
    values change are saved, so an untouched row writes no history."""
    changed, added, deleted = [], [], []
    for row in rows:
        if not row:
            continue
        stored = row.get("id")
        if stored is not None and stored.household_id != household.pk:
            continue  # a crafted id of another household's record: not this file's to change
        if row.get("DELETE"):
            if stored is not None:
                deleted.append(stored)
            continue
        values = {key: value for key, value in row.items() if key not in _ROW_KEYS}
        if stored is None:
            added.append(model(household=household, **values))
        elif any(getattr(stored, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(stored, key, value)
            changed.append(stored)
    for obj in changed + added:
        acted_by(actor, obj, reason=reason)
        obj.save()
    for obj in deleted:
        acted_by(actor, obj, reason=reason)
        obj.delete()


def _sync_causes(actor, household, causes, reason=""):
    wanted = set(causes)
    for row in household.causes.all():
        if row.cause not in wanted:
            acted_by(actor, row, reason=reason)
            row.delete()
    have = set(household.causes.values_list("cause", flat=True))
    # In the order the form lists them, so rows read in id order start with the main one.
    for cause in [value for value in Cause.values if value in wanted - have]:
        row = HardshipCause(household=household, cause=cause)
        acted_by(actor, row, reason=reason)
        row.save()


def main_cause_for(causes, chosen="") -> str:
    """The household's main hardship cause (主要致困原因): the caseworker's choice, which
    must be one of its causes, or by default the first of them in the form's order."""
    if chosen:
        if chosen not in set(causes):
            raise ValidationError({"main_cause": _("主要致困原因须是所选致困原因之一。")})
        return chosen
    return main_cause_by_default(causes)


def household_save(
    *, actor, household: Household, data: dict, members=(), incomes=(), reason=""
) -> Household:
    """Create (`household` unsaved) or update a household with its members, income items
    and causes, all or nothing. `data` is the household form's cleaned_data (its `causes`
    and `main_cause` included); `members` and `incomes` are the rows of the members' and
    income formsets (see _save_rows). All of it must already be valid. `reason` goes on every
    history row the save writes (e.g. the change report it carries out)."""
    values = dict(data)
    causes = values.pop("causes")
    chosen_main = values.pop("main_cause", "")
    tags = values.pop("tags", None)
    if "is_model_worker" in values and not values["is_model_worker"]:
        # A title and its year belong to a model worker's file only (a database rule too).
        values["model_worker_title"], values["model_worker_year"] = "", None
    creating = household.pk is None
    stored = None
    if not creating:
        # The caller's instance may already carry the new values: check the stored row.
        stored = Household.objects.select_related("union").get(pk=household.pk)
        if not access.can_edit_household(actor, stored):
            raise PermissionDenied
    if not access.editable_units(actor).filter(pk=values["union"].pk).exists():
        raise PermissionDenied
    responsible_user = values.get("responsible_user")
    # A newly chosen person (or a move to another union) must be eligible; an earlier choice
    # whose account has since ended does not block editing the rest of the file.
    if responsible_user is not None and (
        stored is None
        or stored.responsible_user_id != responsible_user.pk
        or stored.union_id != values["union"].pk
    ):
        check_eligible(responsible_user, values["union"])
    try:
        with transaction.atomic():
            for field, value in values.items():
                setattr(household, field, value)
            household.main_cause = main_cause_for(causes, chosen_main)
            card_change = None
            if creating:
                (household.file_number,) = reserve_file_numbers(household.union, 1)
                household.created_by = actor
            else:
                locked = Household.objects.select_for_update().get(pk=household.pk)
                card_change = cards.note_card_change(
                    actor=actor, stored=locked, household=household
                )
            acted_by(actor, household, reason=reason)
            household.save()
            if card_change is not None:
                card_change.save()
            if tags is not None:
                # Recorded in the file's history of tags (simple-history's m2m history).
                household.tags.set(tags)
            _sync_causes(actor, household, causes, reason)
            _save_rows(actor, Member, household, members, reason)
            _save_rows(actor, IncomeItem, household, incomes, reason)
    except IntegrityError as error:
        if "household_one_file_per_worker" in str(error) or "id_number" in str(error):
            raise ValidationError(_("该身份证号已是另一户在档困难职工。")) from error
        raise
    return household


def household_establish(*, actor, household: Household, on: datetime.date, because="") -> Household:
    """Put a draft file in file (建档). The approval chain calls this when a 建档
    application takes effect."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.status != Household.Status.DRAFT:
            raise ValidationError(_("只有草稿档案可以建档。"))
        if Household.objects.filter(
            id_number=household.id_number, status=Household.Status.IN_FILE
        ).exists():
            raise ValidationError(_("该身份证号已是另一户在档困难职工。"))
        household.status = Household.Status.IN_FILE
        household.established_on = on
        household.review_due_on = next_review_due(household, on)
        acted_by(actor, household)
        household._change_reason = because
        household.save(update_fields=["status", "established_on", "review_due_on", "updated_at"])
    return household


def filing_approval_note(*, household: Household, begun: bool) -> None:
    """The approval chain says whether the draft's filing application is past its first
    level (households.cards: a card change then waits for a second person)."""
    Household.objects.filter(pk=household.pk).exclude(filing_approval_begun=begun).update(
        filing_approval_begun=begun
    )


def household_end(
    *, actor, household: Household, status, on: datetime.date, reason, because=""
) -> Household:
    """End a file: exited (脱困) or cancelled (注销), with the date and the reason. The approval
    chain calls this when an exit or cancellation application takes effect."""
    if status not in (Household.Status.EXITED, Household.Status.CANCELLED):
        raise ValueError(status)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.status != Household.Status.IN_FILE:
            raise ValidationError(_("只有在档的档案可以脱困或注销。"))
        household.status = status
        date_field = "exited_on" if status == Household.Status.EXITED else "cancelled_on"
        setattr(household, date_field, on)
        household.status_reason = reason
        acted_by(actor, household)
        household._change_reason = because
        household.save(update_fields=["status", date_field, "status_reason", "updated_at"])
    return household


def household_reinstate(*, actor, household: Household, reason, because="") -> Household:
    """Put a cancelled (注销) file back in file: an upheld appeal overturned the cancellation
    (cases.appeals), which is then decided anew. The caller decides who may act."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.status != Household.Status.CANCELLED:
            raise ValidationError(_("只有已注销的档案可以恢复在档。"))
        if (
            Household.objects.filter(id_number=household.id_number, status=Household.Status.IN_FILE)
            .exclude(pk=household.pk)
            .exists()
        ):
            raise ValidationError(_("该职工已在另一户在档，不能恢复被注销的档案。"))
        household.status = Household.Status.IN_FILE
        household.cancelled_on = None
        household.status_reason = reason
        acted_by(actor, household)
        household._change_reason = because
        household.save(update_fields=["status", "cancelled_on", "status_reason", "updated_at"])
    return household


def aid_plan_save(*, actor, household: Household, measures, exit_target_on=KEEP) -> None:
    """Save the household's aid plan: `measures` are the rows of the plan's formset (see
    _save_rows) and `exit_target_on` the plan's exit date (脱困时间表; KEEP leaves it).
    A closed measure's row stays as it closed; an owner must be one of
    plans.measure_owner_choices; a new measure's target date and a changed exit date may
    not be past."""
    if not access.can_edit_household(actor, household):
        raise PermissionDenied
    today = timezone.localdate()
    for row in measures:
        _check_plan_row(household, row, today)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if exit_target_on is not KEEP and exit_target_on != household.exit_target_on:
            if exit_target_on is not None and exit_target_on < today:
                raise ValidationError({"exit_target_on": _("计划脱困日期不能早于今天。")})
            household.exit_target_on = exit_target_on
            acted_by(actor, household)
            household.save(update_fields=["exit_target_on", "updated_at"])
        _save_rows(actor, AidMeasure, household, measures)


def _check_plan_row(household, row, today) -> None:
    stored = row.get("id") if row else None
    if not row or (stored is not None and stored.household_id != household.pk):
        return  # skipped by _save_rows
    if stored is not None and stored.status in AidMeasure.CLOSED:
        changed = row.get("DELETE") or any(
            getattr(stored, key) != value for key, value in row.items() if key not in _ROW_KEYS
        )
        if changed:
            raise ValidationError(
                _("措施“%(m)s”已结束（%(s)s），不能再修改或删除。")
                % {"m": stored.get_measure_display(), "s": stored.get_status_display()}
            )
        return
    if row.get("DELETE"):
        return
    owner = row.get("owner")
    if owner is not None and (stored is None or stored.owner_id != owner.pk):
        plans.check_measure_owner(household.union, owner)
    target = row.get("target_on")
    if stored is None and target is not None and target < today:
        raise ValidationError({"target_on": _("新增措施的计划完成日期不能早于今天。")})


def measure_progress(
    *, actor, measure: AidMeasure, status, on: datetime.date, note=""
) -> AidMeasure:
    """Move a measure on: planned → under way → done or failed (a planned one may close at
    once). Closing needs the outcome (`note`) and sets the closing date `on`; a closed
    measure is never reopened. The step and its note are in the measure's history."""
    if status not in AidMeasure.Status.values or status == AidMeasure.Status.PLANNED:
        raise ValidationError({"status": _("请选择措施的新状态。")})
    note = (note or "").strip()
    closing = status in AidMeasure.CLOSED
    if closing and not note:
        raise ValidationError({"note": _("完成或未达成须填写结果说明。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    with transaction.atomic():
        measure = (
            AidMeasure.objects.select_for_update()
            .select_related("household__union")
            .get(pk=measure.pk)
        )
        if not access.can_edit_household(actor, measure.household):
            raise PermissionDenied
        if measure.status in AidMeasure.CLOSED:
            raise ValidationError(
                _("该帮扶措施已于 %(d)s %(s)s，不能重新打开。")
                % {"d": measure.completed_on, "s": measure.get_status_display()}
            )
        if measure.status == status:
            raise ValidationError(
                _("该帮扶措施已是“%(s)s”。") % {"s": measure.get_status_display()}
            )
        measure.status = status
        if closing:
            measure.completed_on = on
            measure.completion_note = note[:200]
        acted_by(actor, measure, reason=(note or str(measure.get_status_display()))[:100])
        measure.save(update_fields=["status", "completed_on", "completion_note"])
    return measure


def evidence_add(
    *, actor, household: Household, cause, kind, upload, content_type, valid_until=None
) -> Evidence:
    """Store an uploaded file already checked by `uploads.sniff_evidence`, with the date it
    is valid until if it has one (not already past)."""
    if not access.can_add_evidence(actor, household):
        raise PermissionDenied
    check_valid_until(valid_until)
    if not household.causes.filter(cause=cause).exists():
        raise ValidationError(_("请先在档案中登记该致困原因。"))
    evidence = Evidence(
        household=household,
        cause=cause,
        kind=kind,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        valid_until=valid_until,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, upload, save=False)
    acted_by(actor, evidence)
    try:
        with transaction.atomic():
            evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def evidence_delete(*, actor, evidence: Evidence) -> None:
    if not access.can_edit_household(actor, evidence.household):
        raise PermissionDenied
    with transaction.atomic():
        acted_by(actor, evidence)
        evidence.delete()
    # The file stays on disk: history still names it and auditors may need it.


def member_employment_set(*, actor, member: Member, employment, monthly_income, reason) -> Member:
    """Record a member's new employment and monthly income on the file (e.g. a confirmed job
    placement), with the reason in the change history. Only editors of the file may."""
    if employment not in Member.Employment.values:
        raise ValueError(employment)
    monthly_income = Decimal(monthly_income)
    if monthly_income < 0:
        raise ValidationError(_("月收入不能为负数。"))
    with transaction.atomic():
        household = (
            Household.objects.select_for_update()
            .select_related("union")
            .get(pk=member.household_id)
        )
        if not access.can_edit_household(actor, household):
            raise PermissionDenied
        member = Member.objects.select_for_update().get(pk=member.pk)
        member.employment = employment
        member.monthly_income = monthly_income
        acted_by(actor, member, reason=reason)
        member.save(update_fields=["employment", "monthly_income"])
    return member


def measure_complete(*, actor, measure: AidMeasure, on: datetime.date, note) -> AidMeasure:
    """Mark a line of the aid plan done (e.g. 就业帮扶 once a placement is confirmed): the
    same step, and the same refusals, as measure_progress."""
    return measure_progress(
        actor=actor, measure=measure, status=AidMeasure.Status.DONE, on=on, note=note
    )
