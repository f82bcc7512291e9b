"""Appeals (申诉) against a rejected application or a cancelled file, and their decisions.

Imported by `cases.models`, so Django finds the models with the app's others."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Application, Decision
from hardship.chain import ChainedRecord
from hardship.models import Unit


class Appeal(models.Model):
    """A worker's appeal against the decision that rejected their application or cancelled
    their file. It waits at the level above the one that decided (`state`), is decided
    there through the approval engine (cases.appeals) and, upheld, sends the application
    back to a level of its chain (`send_back_to`)."""

    class State(models.TextChoices):
        AT_COMPANY = "at_company", _("待公司工会复查")
        AT_FEDERATION = "at_federation", _("待上级工会复查")
        UPHELD = "upheld", _("申诉成立")
        DISMISSED = "dismissed", _("维持原决定")

    OPEN_STATES = (State.AT_COMPANY, State.AT_FEDERATION)

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="appeals"
    )
    # The decision appealed: the rejection, or the effect of a cancellation. One appeal each.
    decision = models.OneToOneField(
        Decision,
        verbose_name=_("被申诉的决定"),
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    reason = models.TextField(_("申诉理由"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = models.CharField(_("处理状态"), max_length=16, choices=State.choices, db_index=True)
    send_back_to = models.CharField(
        _("退回环节"), max_length=24, choices=Application.State.choices, blank=True
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-lodged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=["at_company", "at_federation"]),
                name="appeal_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(state="upheld") | ~Q(send_back_to=""),
                name="appeal_upheld_names_level",
            ),
            models.CheckConstraint(
                condition=Q(state="upheld") | Q(send_back_to=""),
                name="appeal_only_upheld_sends_back",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["at_company", "at_federation"])
                | Q(decided_at__isnull=False),
                name="appeal_decided_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.application.number} {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("appeal_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class AppealDecision(ChainedRecord):
    """One step of an appeal's trail: lodged, then upheld or dismissed. Rows are only ever
    added, hash-chained like the application decisions (`hardship.chain.link`)."""

    class Action(models.TextChoices):
        LODGE = "lodge", _("提出申诉")
        # The engine's approve and reject (cases.engine): uphold the appeal or dismiss it.
        APPROVE = "approve", _("申诉成立")
        REJECT = "reject", _("维持原决定")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="decisions")
    step = models.CharField(_("环节"), max_length=16, choices=Appeal.State.choices)
    action = models.CharField(_("意见"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("办理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("意见说明"), blank=True)
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    # What the decision did, chained with it: the appeal's state after it and the level of
    # the application's chain an upheld appeal sent the application back to.
    resulting_state = models.CharField(max_length=16, editable=False, blank=True)
    send_back_to = models.CharField(max_length=24, editable=False, blank=True)

    class Meta:
        verbose_name = _("申诉处理记录")
        verbose_name_plural = _("申诉处理记录")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="lodge") | ~Q(comment=""),
                name="appeal_decision_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.appeal_id} {self.get_step_display()} {self.get_action_display()}"

    CHAIN = "appeal_decisions"
    CHAINED_FIELDS = (
        "appeal_id",
        "step",
        "action",
        "actor_id",
        "acting_unit_id",
        "comment",
        "resulting_state",
        "send_back_to",
        "chain_position",
    )
