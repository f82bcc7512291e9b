"""When a ledger row may be dated (记账日期): never after today, back-dated only within the
window the policy allows, and never in a year its fund has closed.

"Today" is the local date (settings.TIME_ZONE). The window is the policy parameter
`backdate_months` of the fund's unit: the current month and that many months before it
(default 1: the current and the previous month). On PostgreSQL a trigger on the ledger also
refuses future dates and closed years (funds/migrations/0007_ledger_posting_date_guard.py);
the window is the services' alone.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import AidType, Fund, YearClosing
from hardship.models import PolicyParameter
from hardship.policy import cash_allowed, policy_value_or_default


class PostingDateRefused(ValidationError):
    """A ledger date outside the books; the message names the rule."""


class CashRefused(ValidationError):
    """A cash payment of an aid type the unit pays only by card."""


def window_start(unit, today: datetime.date) -> datetime.date:
    """The earliest date a row may be posted on today: the first day of the month
    `backdate_months` months before the current one."""
    months = int(policy_value_or_default(PolicyParameter.Key.BACKDATE_MONTHS, unit, today) or 0)
    # However large the parameter, the window starts no earlier than the calendar does.
    index = max(today.year * 12 + today.month - 1 - months, 12)
    return datetime.date(index // 12, index % 12 + 1, 1)


def closed_through(fund: Fund) -> int | None:
    """The latest year the fund has closed (every earlier year is closed with it)."""
    return YearClosing.objects.filter(fund_id=fund.pk).aggregate(year=Max("year"))["year"]


def date_refusal(fund: Fund, day: datetime.date, *, allow_future=False) -> str | None:
    """Why `day` cannot be a posting date of `fund` today, or None if it can."""
    today = timezone.localdate()
    if day > today and not allow_future:
        return _("记账日期 %(d)s 晚于今天（%(t)s）：不能提前记账。") % {
            "d": day.isoformat(),
            "t": today.isoformat(),
        }
    closed = closed_through(fund)
    if closed is not None and day.year <= closed:
        return _("%(y)s 年度已结账，不能再记入该年度；更正请在未结账的年度以冲销处理。") % {
            "y": day.year
        }
    start = window_start(fund.unit, today)
    if day < start:
        return _(
            "记账日期 %(d)s 超出可追溯期限：只能记 %(s)s 及以后的日期（政策参数“记账日期可追溯的上月数”）。"
        ) % {"d": day.isoformat(), "s": start.isoformat()}
    return None


def check_date(fund: Fund, day: datetime.date, field: str) -> None:
    """Refuse a posting date outside the books, on the form field that carries it."""
    problem = date_refusal(fund, day)
    if problem:
        raise PostingDateRefused({field: problem})


def cash_refusal(method: str, aid_type: str, unit, day: datetime.date) -> str | None:
    """Why a payment of `aid_type` to a household of `unit` may not be made by `method` on
    `day`, or None. Cash only where the unit's policy allows it for the aid type
    (hardship.policy.CASH_KEYS): regular and festival payments go to bank cards by default."""
    if method != "cash" or cash_allowed(aid_type, unit, day):
        return None
    return _(
        "全部实行银行卡发放：%(unit)s 的“%(type)s”不允许现金发放（政策参数未允许），请改为银行卡发放。"
    ) % {"unit": unit.name, "type": _aid_label(aid_type)}


def check_cash(method: str, aid_type: str, unit, day: datetime.date, field: str) -> None:
    problem = cash_refusal(method, aid_type, unit, day)
    if problem:
        raise CashRefused({field: problem})


def _aid_label(aid_type: str) -> str:
    return str(AidType(aid_type).label) if aid_type in AidType.values else aid_type
