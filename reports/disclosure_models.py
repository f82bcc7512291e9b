"""Open-books disclosures (账务公开) and their hash-chained decisions.

A disclosure's figures are frozen into `snapshot` when it is drawn up (or recomputed as a
draft), sealed by `digest`. Once published the row never changes: the service refuses, and
on PostgreSQL a trigger refuses any UPDATE or DELETE of a published row
(migration 0003). A correction is a new version that names the one it supersedes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hardship.chain import ChainedRecord
from hardship.models import Unit


class Disclosure(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待党政班子会审定")
        RETURNED = "returned", _("已退回修改")
        REJECTED = "rejected", _("未通过")
        APPROVED = "approved", _("已审定，待公布")
        PUBLISHED = "published", _("已公布")

    # A unit and year has at most one disclosure on its way to publication.
    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED)

    unit = models.ForeignKey(
        Unit, verbose_name=_("公开单位"), on_delete=models.PROTECT, related_name="disclosures"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period_end = models.DateField(_("截止日期"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("更正的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_note = models.TextField(_("更正说明"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField(_("公开数据"), default=dict, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    computed_at = models.DateTimeField(_("计算时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("账务公开")
        verbose_name_plural = _("账务公开")
        ordering = ["-year", "unit__path", "-version", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version"],
                condition=Q(state="published"),
                name="disclosure_published_version_once",
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(state__in=["draft", "submitted", "returned", "approved"]),
                name="disclosure_one_open_per_unit_year",
            ),
            models.CheckConstraint(
                condition=~Q(state="published")
                | (Q(published_at__isnull=False) & Q(published_by__isnull=False)),
                name="disclosure_published_has_time_and_person",
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True)
                | (Q(version__gt=1, supersedes__isnull=False) & ~Q(correction_note="")),
                name="disclosure_correction_names_what_and_why",
            ),
            models.CheckConstraint(condition=~Q(digest=""), name="disclosure_digest_sealed"),
        ]

    def __str__(self):
        return _("%(unit)s %(year)s 年度账务公开（第 %(v)s 版）") % {
            "unit": self.unit.name,
            "year": self.year,
            "v": self.version,
        }

    def get_absolute_url(self):
        return reverse("disclosure_detail", args=[self.pk])


class DisclosureDecision(ChainedRecord):
    """A disclosure's trail: submitted, decided by the committee, recomputed, published. Each
    row chains the digest of the figures it was taken on."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交")
        APPROVE = "approve", _("同意")
        RETURN = "return", _("退回修改")
        REJECT = "reject", _("不同意")
        RECOMPUTE = "recompute", _("按台账重新计算")
        PUBLISH = "publish", _("公布")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="decisions")
    step = models.CharField(_("环节"), max_length=16, choices=Disclosure.State.choices)
    action = models.CharField(_("意见"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("意见说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resulting_state = models.CharField(max_length=16, editable=False)
    snapshot_digest = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["return", "reject"]) | ~Q(comment=""),
                name="disclosure_decision_comment",
            ),
        ]

    def __str__(self):
        return f"{self.disclosure_id} {self.step} {self.action}"

    CHAIN = "disclosure_decisions"
    CHAINED_FIELDS = (
        "disclosure_id",
        "step",
        "action",
        "actor_id",
        "comment",
        "resulting_state",
        "snapshot_digest",
        "chain_position",
    )
