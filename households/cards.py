"""The payee's bank card (帮扶资金银行卡): a change is pending until a second person confirms it.

Rule (双人确认): once a file is in file, a change of its bank card, whoever makes it and by
whichever page (the household form, the annual review), is recorded as a `CardChange` and
leaves the household `card_pending`. Until the grassroots chair or the company reviewer over
the household confirms it, and never the person who made that change, no bank payment or
distribution-plan line goes to that household (`pending_card_refusal`, checked by
`funds.ledger`). A card entered or changed while the file is still a draft needs no
separate confirmation: the filing approval (建档) signs off the whole file. Except once that
approval has begun (the grassroots chair has passed it on; the chain keeps
`Household.filing_approval_begun`): a change then would slip past the people who already
signed, so it is pending like a change to a file in file.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship import access
from hardship.history import acted_by
from households.involvement import involved_in_household
from households.models import CardChange, Household

# A card changed within this many days is flagged on the payment form and the plan.
CARD_RECENT_DAYS = 90


def _signed_off(household: Household) -> bool:
    """In file, or a draft whose filing application someone has already approved."""
    if household.status == Household.Status.IN_FILE:
        return True
    return household.status == Household.Status.DRAFT and household.filing_approval_begun


def note_card_change(*, actor, stored: Household, household: Household) -> CardChange | None:
    """Called by the registry's save inside its transaction, with `stored` the locked row as
    it was: carry the pending state over from it, and open a pending change when the card of
    a signed-off file is different now. Returns the change (not yet saved) or None."""
    household.card_pending = stored.card_pending
    household.card_changed_at = stored.card_changed_at
    household.filing_approval_begun = stored.filing_approval_begun
    # A card the bank returned stays flagged until the card is changed.
    if stored.bank_account == household.bank_account:
        household.card_problem = stored.card_problem
        household.card_problem_at = stored.card_problem_at
    else:
        household.card_problem, household.card_problem_at = "", None
    if stored.bank_account == household.bank_account or not _signed_off(stored):
        return None
    now = timezone.now()
    household.card_pending = True
    household.card_changed_at = now
    return CardChange(
        household=household,
        old_account=stored.bank_account,
        new_account=household.bank_account,
        changed_by=actor,
        changed_at=now,
    )


def pending_changes(household: Household):
    return household.card_changes.filter(confirmed_at__isnull=True).select_related("changed_by")


def confirm_refusal(user, household: Household) -> str | None:
    """Why `user` may not confirm the household's pending card change, or None."""
    if not access.may_confirm_card(user, household):
        return _("只有该户所属基层工会主席或公司工会复核人员可以确认银行卡变更。")
    if any(change.changed_by_id == user.pk for change in pending_changes(household)):
        return _("双人确认：银行卡由您变更，须由另一人（基层工会主席或公司工会复核）确认。")
    if involved_in_household(user, household):
        return _("回避：您是该户职工或家庭成员，不能确认本户的银行卡变更。")
    return None


def card_confirm(*, actor, household: Household) -> list[CardChange]:
    """Confirm every pending change of the household's card (双人确认). The confirmer is the
    grassroots chair or company reviewer over the household, not a person who made one of
    the pending changes, and not the household's worker or a member."""
    with transaction.atomic():
        household = (
            Household.objects.select_for_update(of=("self",))
            .select_related("union")
            .get(pk=household.pk)
        )
        if not access.may_confirm_card(actor, household):
            raise PermissionDenied(confirm_refusal(actor, household))
        changes = list(pending_changes(household))
        if not changes:
            raise ValidationError(_("该户没有待确认的银行卡变更。"))
        problem = confirm_refusal(actor, household)
        if problem:
            raise PermissionDenied(problem)
        now = timezone.now()
        for change in changes:
            change.confirmed_by = actor
            change.confirmed_at = now
            change.save(update_fields=["confirmed_by", "confirmed_at"])
        household.card_pending = False
        acted_by(actor, household, reason=_("确认银行卡变更"))
        household.save(update_fields=["card_pending", "updated_at"])
    return changes


def pending_card_refusal(household: Household) -> str | None:
    """The refusal a bank payment to the household gets while its card change is pending,
    or while the bank has returned a payment to its card and the card is not yet changed."""
    if household.card_problem and not household.card_pending:
        return _(
            "银行退回：该户银行卡（尾号 %(tail)s）发放被银行退回（%(why)s），请先更正银行卡。"
        ) % {
            "tail": household.bank_account[-4:] if household.bank_account else "—",
            "why": household.card_problem,
        }
    if not household.card_pending:
        return None
    return _(
        "银行卡变更双人确认：该户银行卡于 %(d)s 变更（尾号 %(tail)s），须经基层工会主席或"
        "公司工会复核（非变更人）确认后才能银行发放。"
    ) % {
        "d": timezone.localtime(household.card_changed_at).date().isoformat()
        if household.card_changed_at
        else "—",
        "tail": household.bank_account[-4:] if household.bank_account else "—",
    }


def card_recently_changed(household: Household, today: datetime.date | None = None) -> bool:
    if household.card_changed_at is None:
        return False
    today = today or timezone.localdate()
    changed_on = timezone.localtime(household.card_changed_at).date()
    return (today - changed_on).days < CARD_RECENT_DAYS
