"""Changes of a household's bank card and their confirmation by a second person (双人确认);
households/cards.py writes them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.models.household import (
    Household,
)


class CardChange(models.Model):
    """A change of the payee's bank card on a file in file (变更银行卡). It stays pending
    until a second person, the grassroots chair or the company reviewer over the household
    and never the one who changed it, confirms it (households.cards.card_confirm). A card
    entered while the file is a draft is confirmed by the filing approval instead."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="card_changes")
    old_account = models.CharField(_("原银行卡号"), max_length=32, blank=True)
    new_account = models.CharField(_("新银行卡号"), max_length=32, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("变更人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("变更时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("银行卡变更")
        verbose_name_plural = _("银行卡变更")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="cardchange_confirmed_by_and_at_together",
            ),
            # Separation of duties, whatever path writes the row.
            models.CheckConstraint(
                condition=~Q(confirmed_by=F("changed_by")),
                name="cardchange_not_confirmed_by_changer",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.changed_at:%Y-%m-%d}"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None
