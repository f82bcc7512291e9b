"""The responsible person's reminders (催还提醒): repayments overdue on the loans of the
households they are responsible for, on their task list (hardship.worklist)."""

import datetime

from django.utils.translation import gettext as _

from hardship.worklist import WorkItem
from loans import selectors


def overdue_repayments(user, today: datetime.date) -> list[WorkItem]:
    loans = selectors.loans_visible_to(user).filter(household__responsible_user=user)
    return [
        WorkItem(
            source=_("小额借款逾期"),
            subject=f"{line.loan.household.worker_name} · {line.loan.number}",
            detail=_("逾期 %(days)s 天，逾期未还 %(amount)s 元")
            % {"days": line.standing.days_late, "amount": line.standing.overdue_amount},
            url=line.loan.get_absolute_url(),
            due_on=today - datetime.timedelta(days=line.standing.days_late),
            action=_("联系借款人、登记还款"),
        )
        for line in selectors.overdue(loans.select_related("household"), today)
    ]
