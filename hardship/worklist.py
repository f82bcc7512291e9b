"""Work other apps put on a person's task list (casework's 待办任务), without casework
importing them: an app of any layer registers a source from its AppConfig.ready(), and the
task list asks every source for the user's items.

Decisions other apps wait for (a loan or a deferral at a level the user acts at) join the
inbox (待我处理) the same way: `register_decisions`, read by `decisions_for` and
`decision_count_for`.

Task sources: loans (repayments overdue on the households one is responsible for), bank (cards the
bank returned a payment to), crosscheck (follow-ups assigned to one), intake (contacts one
handles). casework's own duties are its models, not a source."""

import datetime
from dataclasses import dataclass

_SOURCES: list = []
_DECISION_SOURCES: list = []


@dataclass(frozen=True)
class WorkItem:
    source: str  # what kind of work, as the list heads it (e.g. 小额借款逾期)
    subject: str  # whose (a worker's name and file number, a contact's number)
    detail: str
    url: str
    due_on: datetime.date | None = None
    action: str = ""  # the link's text

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today


def register(source) -> None:
    """`source(user, today)` returns the user's own open items (a list of WorkItem);
    registering the same source twice keeps one."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def items_for(user, today: datetime.date) -> list[WorkItem]:
    """Every source's items for the user, those with the earliest deadline first."""
    items = [item for source in _SOURCES for item in source(user, today)]
    return sorted(items, key=lambda item: (item.due_on is None, item.due_on or today))


def register_decisions(source, count=None) -> None:
    """`source(user)` returns what waits for the user's decision (a list of WorkItem);
    `count(user)` how many there are without building them, for a source that can be long
    (every page's navigation shows the count); without it the count is the list's length."""
    if all(registered is not source for registered, _count in _DECISION_SOURCES):
        _DECISION_SOURCES.append((source, count or (lambda user: len(source(user)))))


def decisions_for(user) -> list[WorkItem]:
    return [item for source, _count in _DECISION_SOURCES for item in source(user)]


def decision_count_for(user) -> int:
    return sum(count(user) for _source, count in _DECISION_SOURCES)
