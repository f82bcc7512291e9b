"""Loans on the lists of the core's worklist hook (hardship.worklist): the responsible
person's reminders (催还提醒), repayments overdue on the loans of the households they are
responsible for, on their task list; loans and deferrals or write-offs waiting at a level
the user acts at, in their inbox (待我处理)."""

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


def loans_to_decide(user) -> list[WorkItem]:
    loans, motions = selectors.to_decide(user)
    items = [
        WorkItem(
            source=_("小额借款审批"),
            subject=f"{loan.household.worker_name} · {loan.number}",
            detail=loan.get_state_display(),
            url=loan.get_absolute_url(),
            action=_("审批"),
        )
        for loan in loans
    ]
    items += [
        WorkItem(
            source=_("借款展期或核销"),
            subject=f"{motion.loan.household.worker_name} · {motion.loan.number}",
            detail=f"{motion.get_kind_display()}：{motion.reason}",
            url=motion.loan.get_absolute_url(),
            action=_("审定"),
        )
        for motion in motions
    ]
    return items
