"""The approval chain as data.

职工本人申请 → 基层工会审查把关 → 公司工会复核调查 → 党政班子会审定 → 公示 → 生效.

Each level is one row: the state in which an application waits there, the role that acts,
the level of the tree (unit kind) at which that role must be held, the state an approval
leads to, and what must be true before approving. The approval engine (`cases.engine`)
reads only this table: adding or removing a level is a change here (and a state for it),
nothing else.
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from cases.models import Application, Decision
from hardship.models import Role, Unit

State = Application.State
Action = Decision.Action

# Conditions an approval may require (checked in services._approval_blockers).
NEEDS_INVESTIGATION = "investigation"
NEEDS_EVIDENCE = "evidence"


@dataclass(frozen=True)
class Level:
    state: str
    role: str
    unit_kind: str
    approve_to: str
    label: str
    requires: tuple = ()


CHAIN = (
    Level(
        state=State.SUBMITTED,
        role=Role.GRASSROOTS_CHAIR,
        unit_kind=Unit.Kind.GRASSROOTS,
        approve_to=State.GRASSROOTS_APPROVED,
        label=pgettext_lazy("approval level", "基层工会审查"),
    ),
    Level(
        state=State.GRASSROOTS_APPROVED,
        role=Role.COMPANY_REVIEWER,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=State.COMPANY_VERIFIED,
        label=pgettext_lazy("approval level", "公司工会复核"),
        requires=(NEEDS_INVESTIGATION, NEEDS_EVIDENCE),
    ),
    Level(
        state=State.COMPANY_VERIFIED,
        role=Role.COMMITTEE,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=State.IN_NOTICE,
        label=pgettext_lazy("approval level", "党政班子会审定"),
    ),
)

# At every level: approve, return for correction (to the filer) or reject.
ACTIONS_AT_LEVEL = (Action.APPROVE, Action.RETURN, Action.REJECT)
NEEDS_COMMENT = (Action.RETURN, Action.REJECT, Action.OBJECTION_UPHELD)
ACTION_RESULT = {Action.RETURN: State.RETURNED, Action.REJECT: State.REJECTED}

# Distribution plans (发放方案) are "discussed and approved collectively by the leadership":
# one level, the committee of the company union the plan belongs to.
PLAN_CHAIN = (
    Level(
        state="submitted",
        role=Role.COMMITTEE,
        unit_kind=Unit.Kind.COMPANY,
        approve_to="approved",
        label=pgettext_lazy("approval level", "党政班子会审定"),
    ),
)

LEVEL_AT = {level.state: level for level in CHAIN}
# Passed on by the first level and still in the chain: a draft whose filing application is
# here takes a card change only with a second person (households.cards).
PAST_FIRST_LEVEL = (State.GRASSROOTS_APPROVED, State.COMPANY_VERIFIED, State.IN_NOTICE)
# The level an upheld objection sends an application back to.
VERIFICATION_STATE = State.GRASSROOTS_APPROVED


def level_for(state: str) -> Level | None:
    return LEVEL_AT.get(state)


def next_state(state: str, action: str) -> str:
    level = LEVEL_AT[state]
    return level.approve_to if action == Action.APPROVE else ACTION_RESULT[action]
