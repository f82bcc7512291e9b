"""The reports app's demo step: open books (账务公开) of the petrochemical company union,
last year's published after the committee approved it, this year's a draft."""

from django.utils import timezone

from hardship.models import Unit, User
from reports import disclosures
from reports.disclosure_models import Disclosure

Action = disclosures.Action


def seed_disclosures() -> int:
    """Returns the number of disclosures made (0 when they are there already)."""
    unit = Unit.objects.filter(code="SH").first()
    if unit is None or Disclosure.objects.filter(unit=unit).exists():
        return 0
    finance = User.objects.get(username="sh_finance")
    committee = User.objects.get(username="sh_committee")
    year = timezone.localdate().year
    last = disclosures.disclosure_draw_up(actor=finance, unit=unit, year=year - 1)
    disclosures.disclosure_submit(actor=finance, disclosure=last)
    disclosures.disclosure_decide(
        actor=committee,
        disclosure=last,
        action=Action.APPROVE,
        expected_state=Disclosure.State.SUBMITTED,
        comment="经党政班子会集体研究，同意向会员公开。",
    )
    disclosures.disclosure_publish(actor=finance, disclosure=last)
    disclosures.disclosure_draw_up(actor=finance, unit=unit, year=year)
    return 2


def seed(run) -> None:
    def open_books():
        if seed_disclosures():
            run.report.append(
                "Open books: last year's disclosure of 示范石化公司工会 published, this year's a draft."
            )

    # After every app has posted its history and the ended years are closed.
    run.wrap_up.append(open_books)
