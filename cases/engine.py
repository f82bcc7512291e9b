"""The one approval engine: every decision taken at a level of an approval chain.

A kind of work that is approved level by level (applications, distribution plans, appeals;
later loans) registers a `Chain`: its table of levels (`cases.chain.Level` rows), who
may act and the separation of duties (`refusal`), what an approval needs first (`blockers`),
how its decision row is written and hash-chained (`record`) and what follows a decision
(`after`). `decide()` is then the same for all of them: it locks the row, checks the state
the user saw (else "already handled by X at T"), applies the chain's refusal, records the
decision with the acting user and moves the state, all in one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.chain import ACTIONS_AT_LEVEL, NEEDS_COMMENT, Action, Level
from hardship.history import acted_by


class AlreadyHandled(ValidationError):
    """Someone else moved the record on first."""


@dataclass(frozen=True)
class Chain:
    model: type
    levels: tuple[Level, ...]
    returned_state: str
    rejected_state: str
    # (user, obj, level or None) -> why the user may not act, or None.
    refusal: Callable
    # (obj, *, actor, step, action, result, comment, level) -> the hash-chained decision row.
    record: Callable
    # (obj) -> the message when the state the user saw has gone and no decision says why.
    changed_message: Callable
    # (obj, last decision) -> the message naming who handled it and when.
    handled_message: Callable
    related: tuple[str, ...] = ()
    update_fields: tuple[str, ...] = ("state",)
    # (obj, level) -> what must be done before approving at this level.
    blockers: Callable | None = None
    # (obj) -> called after the new state is saved (e.g. a notice opens).
    after: Callable | None = None
    # The actions a decider may take at a level (an appeal is upheld or dismissed, never
    # returned).
    actions: tuple[str, ...] = ACTIONS_AT_LEVEL

    def level_for(self, state: str) -> Level | None:
        return next((level for level in self.levels if level.state == state), None)

    def next_state(self, level: Level, action: str) -> str:
        return {
            Action.APPROVE: level.approve_to,
            Action.RETURN: self.returned_state,
            Action.REJECT: self.rejected_state,
        }[action]


def when_and_who(decision) -> dict:
    """The parts of an "already handled" message: who took the last decision, when, what."""
    return {
        "who": decision.actor or _("系统"),
        "when": formats.date_format(timezone.localtime(decision.created_at), "Y-m-d H:i:s"),
        "action": decision.get_action_display(),
    }


def already_handled(chain: Chain, obj) -> AlreadyHandled:
    last = obj.decisions.select_related("actor").order_by("-created_at", "-pk").first()
    if last is None:
        return AlreadyHandled(chain.changed_message(obj))
    return AlreadyHandled(chain.handled_message(obj, last))


def decide(*, chain: Chain, obj, actor, action, expected_state, comment="", changes=None):
    """Approve, return or reject `obj` at its current level of `chain`.

    `expected_state` is the state the actor saw: if someone acted first, nothing changes and
    AlreadyHandled names who did and when. The row lock makes two simultaneous actions
    produce exactly one decision. `changes` are other fields the decision sets on the
    locked row (e.g. the level an upheld appeal sends the application back to): `blockers`,
    `record` and `after` see them, and they are saved with the state."""
    comment = (comment or "").strip()
    changes = changes or {}
    if action not in chain.actions:
        raise ValidationError(_("无效的操作。"))
    if action in NEEDS_COMMENT and not comment:
        raise ValidationError({"comment": _("退回或不同意时必须填写意见。")})
    with transaction.atomic():
        obj = chain.model.objects.select_for_update().select_related(*chain.related).get(pk=obj.pk)
        if obj.state != expected_state:
            raise already_handled(chain, obj)
        level = chain.level_for(obj.state)
        problem = chain.refusal(actor, obj, level)
        if problem:
            raise PermissionDenied(problem)
        for name, value in changes.items():
            setattr(obj, name, value)
        if action == Action.APPROVE and chain.blockers:
            blockers = chain.blockers(obj, level)
            if blockers:
                raise ValidationError(blockers)
        result = chain.next_state(level, action)
        chain.record(
            obj,
            actor=actor,
            step=level.state,
            action=action,
            result=result,
            comment=comment,
            level=level,
        )
        obj.state = result
        acted_by(actor, obj)
        obj.save(update_fields=[*chain.update_fields, *changes])
        if chain.after:
            chain.after(obj)
    return obj
