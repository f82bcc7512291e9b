"""Helpers for the open-books disclosures (账务公开), shared by tests/reports and the
authorisation matrix's world: a disclosure brought to a state through the real services, as
the people named would."""

from reports import disclosures
from reports.disclosure_models import Disclosure

State = Disclosure.State


def approve(disclosure, committee, comment="经党政班子会研究，同意公开。"):
    return disclosures.disclosure_decide(
        actor=committee,
        disclosure=disclosure,
        action="approve",
        expected_state=State.SUBMITTED,
        comment=comment,
    )


def disclosure_at(state, drafter, committee, unit, year, **fields) -> Disclosure:
    """A disclosure of `unit` and `year` drawn up by `drafter` and taken to `state`
    (draft, submitted, approved or published)."""
    disclosure = disclosures.disclosure_draw_up(actor=drafter, unit=unit, year=year, **fields)
    if state == State.DRAFT:
        return disclosure
    disclosure = disclosures.disclosure_submit(actor=drafter, disclosure=disclosure)
    if state == State.SUBMITTED:
        return disclosure
    disclosure = approve(disclosure, committee)
    if state == State.APPROVED:
        return disclosure
    return disclosures.disclosure_publish(actor=drafter, disclosure=disclosure)
