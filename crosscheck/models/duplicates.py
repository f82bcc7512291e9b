"""Decisions on suspected duplicate files, and cancellations marked as fraud (the watch
list follows from those that have taken effect)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DuplicateDecision(models.Model):
    """A pair of suspected duplicate files decided by a person: not a duplicate (it stops
    being listed) or a cancellation filed for one of the two."""

    class Outcome(models.TextChoices):
        NOT_DUPLICATE = "not_duplicate", _("不是重复")
        CANCELLATION = "cancellation", _("提出注销")

    first = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("理由"))
    application = models.ForeignKey(
        "cases.Application",
        verbose_name=_("注销申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("疑似重复处理")
        verbose_name_plural = _("疑似重复处理")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_decided_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="duplicate_pair_in_order"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="duplicate_decision_has_reason"),
        ]

    def __str__(self):
        return f"{self.first_id}/{self.second_id} {self.outcome}"


class FraudMark(models.Model):
    """A cancellation (注销) application marked as a cancellation for fraud (骗取帮扶). Once it
    has taken effect, the ID numbers of the file's worker and members are on the watch list."""

    application = models.OneToOneField(
        "cases.Application",
        verbose_name=_("注销申请"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("理由"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("骗取帮扶注销标记")
        verbose_name_plural = _("骗取帮扶注销标记")
        ordering = ["-marked_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="fraud_mark_has_reason")
        ]

    def __str__(self):
        return str(self.application_id)


class HolderIds(models.Field):
    """The ids of the files holding a key: bigint[] on PostgreSQL, where the database keeps
    it; plain text elsewhere, where nothing writes it (crosscheck.pairs)."""

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"


class DuplicateKey(models.Model):
    """One value that makes two files look like one family filed twice (the kinds of
    households.assessment.DUPLICATE_REASONS: a worker's or member's ID number, a bank card,
    a phone, a person's name with the birth date as "name|YYYY-MM-DD"), with the live files
    (draft or in file) that hold it, one id per holder (the worker, each member).

    Written only by the database: on PostgreSQL, triggers on the household and member
    tables (migration 0003) keep it current whatever wrote the registry, so the suspected
    duplicates page reads the few shared keys (`shared`: two different files hold the
    key) instead of every file in scope. Never read on other databases."""

    pk = models.CompositePrimaryKey("kind", "value")
    kind = models.CharField(max_length=16)
    value = models.CharField(max_length=80)
    holders = HolderIds()
    shared = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("疑似重复比对键")
        verbose_name_plural = _("疑似重复比对键")
        indexes = [
            # The few keys two files share: the page reads only these.
            models.Index(
                fields=["kind", "value"], condition=Q(shared=True), name="duplicate_key_shared"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.value}"
