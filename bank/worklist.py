"""A card the bank returned a payment to is fixed by the household's responsible person:
on their task list (hardship.worklist) until the card is corrected."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bank import selectors
from hardship.worklist import WorkItem


def cards_to_fix(user, today: datetime.date) -> list[WorkItem]:
    return [
        WorkItem(
            source=_("银行卡退回"),
            subject=f"{household.worker_name} · {household.file_number}",
            detail=household.card_problem,
            url=reverse("household_edit", args=[household.pk]),
            due_on=timezone.localdate(household.card_problem_at)
            if household.card_problem_at
            else None,
            action=_("更正银行卡信息"),
        )
        for household in selectors.cards_to_fix(user).filter(responsible_user=user)
    ]
