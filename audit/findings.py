"""What a check gives the page: how many rows it finds (counted by the database) and the
first of them as findings, so the page costs the same few queries at any size of province."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from households.models import Household

# The findings a check lists; the rest are counted.
LIMIT = 50
# Up to this many rows, a part's rows are found by their keys (see first_rows).
FEW = 2000


@dataclass
class Finding:
    household: Household
    detail: str


@dataclass
class Part:
    """One query of a check: its rows, ordered as listed, and how a row reads (a part that
    reads its rows together overrides `findings`)."""

    rows: QuerySet
    finding: Callable[[object], Finding] | None = None

    def findings(self, rows: list) -> list[Finding]:
        return [self.finding(row) for row in rows]


@dataclass
class Check:
    code: str
    title: str
    total: int
    findings: list[Finding]

    @property
    def more(self) -> bool:
        """Whether findings beyond those listed were counted."""
        return self.total > len(self.findings)


def first_rows(rows: QuerySet, room: int) -> tuple[list, int]:
    """The first `room` of `rows` and the number of all. The count comes first: nothing more
    is read for a part with no rows, and a part with few has their keys read (a scan like the
    count's) before the rows themselves. Only many rows are read in order off an index: the
    first are then found soon, where a few would have the database walk that index through
    the whole province, a heap row at a time."""
    total = rows.count()
    if not total or room <= 0:
        return [], total
    if total > FEW:
        return list(rows[:room]), total
    keys = list(rows.order_by().values_list("pk", flat=True))
    return list(rows.filter(pk__in=keys)[:room]), total


def first_findings(parts: list[Part], limit: int = LIMIT) -> tuple[int, list[Finding]]:
    """The number of rows of all `parts` and the first `limit` of them as findings, part by
    part; a part after the list is full is only counted."""
    total, findings = 0, []
    for part in parts:
        rows, found = first_rows(part.rows, limit - len(findings))
        findings += part.findings(rows)
        total += found
    return total, findings


def findings_of(parts: list[Part], limit: int = LIMIT) -> list[Finding]:
    """The first `limit` rows of `parts` as findings, not counted: for parts already narrowed
    to a few files (audit.kept lists the findings of the files it kept)."""
    findings = []
    for part in parts:
        room = limit - len(findings)
        if room <= 0:
            break
        findings += part.findings(list(part.rows[:room]))
    return findings


def listed(parts_of):
    """A check written as its parts, callable as the list of its first findings (as callers
    that want the findings alone use it); `.parts` gives the parts for run_checks."""

    @functools.wraps(parts_of)
    def findings(*args, limit: int = LIMIT) -> list[Finding]:
        return first_findings(parts_of(*args), limit)[1]

    findings.parts = parts_of
    return findings
