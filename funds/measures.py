"""Payments on the aid plan: a payment carries out the measure its application carries out
(households.plans link source, registered in FundsConfig.ready())."""

from django.utils.translation import gettext as _

from funds.models import LedgerEntry
from hardship.templatetags.money import format_yuan
from households.plans import MeasureLink


def measure_links(user, measure_ids):
    """Payments (and reversals) of applications that carry out the given measures; the
    household page that asks lists the household's payments."""
    entries = (
        LedgerEntry.objects.filter(
            application__measure_id__in=measure_ids,
            kind__in=[LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REVERSAL],
        )
        .select_related("application")
        .order_by("posted_on", "pk")
    )
    for entry in entries:
        yield MeasureLink(
            entry.application.measure_id,
            entry.get_kind_display(),
            _("%(d)s %(a)s 元（申请 %(n)s）")
            % {
                "d": f"{entry.posted_on:%Y-%m-%d}",
                "a": format_yuan(-entry.amount),
                "n": entry.application.number,
            },
        )
