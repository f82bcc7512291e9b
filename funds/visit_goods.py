"""Goods given on a visit (走访慰问) from a fund: an in-kind payment through the ledger,
under the rules of every payment."""

from django.db import transaction
from django.utils.translation import gettext as _

from funds import posting
from funds.ledger import (
    PaymentRefused,
    check_payment,
    lock_fund,
    payment_row,
    post_entry,
    to_money,
)
from funds.models import AidType, Fund, LedgerEntry
from hardship import access
from households.models import Household


def visit_goods_funds(household):
    """Funds that may pay goods handed over on a visit to `household`: funds of the units
    above it that pay 物资 (专款专用), newest year first."""
    candidates = Fund.objects.filter(unit__path__in=access.ancestor_paths(household.union.path))
    return Fund.objects.filter(
        pk__in=[f.pk for f in candidates if f.may_pay(AidType.IN_KIND)]
    ).order_by("-year", "name")


def visit_goods_post(*, actor, fund, visit) -> LedgerEntry:
    """Goods given on a visit (走访慰问) from a fund: an in-kind (实物) payment of the goods'
    value with their quantity and unit, tied to the visit. The caller (casework.services.
    visit_record) has checked that the actor may record the visit and holds the
    transaction; the payment rules are those of every payment (先建档后帮扶, 专款专用,
    每户每年上限, 保持资金平衡)."""
    amount = to_money(visit.goods_value or 0)
    with transaction.atomic():
        fund = lock_fund(fund)
        # A ledger row like any other: not before the back-dating window, not in a closed year.
        posting.check_date(fund, visit.visited_on, "visited_on")
        household = (
            Household.objects.select_for_update().select_related("union").get(pk=visit.household_id)
        )
        if not visit_goods_funds(household).filter(pk=fund.pk).exists():
            raise PaymentRefused(
                {
                    "fund": _(
                        "专款专用：资金账户“%(f)s”不能支付“%(t)s”，或不在该户所属单位范围内。"
                    )
                    % {"f": fund.name, "t": AidType.IN_KIND.label}
                }
            )
        check_payment(fund, household, amount, AidType.IN_KIND, visit.visited_on, None, None, visit)
        entry = payment_row(
            actor,
            fund,
            household,
            amount,
            AidType.IN_KIND,
            LedgerEntry.Method.IN_KIND,
            "",
            visit.goods,
            f"WZ{visit.visited_on:%Y}-{visit.pk:07d}",
            visit.visited_on,
            f"{visit.get_kind_display()} {visit.goods}",
        )
        entry.visit_id = visit.pk
        entry.quantity = visit.goods_quantity
        entry.quantity_unit = visit.goods_unit
        return post_entry(fund, entry)
