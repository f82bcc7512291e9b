"""Duties (帮扶任务): what someone must do for a household by a date.

三必访 after a hospitalisation, a death or an emergency; keeping in touch at least once a
quarter; the annual review; renewing evidence that expires. A duty is done only by the record
that does it (a visit, a review, the renewed evidence), never by ticking a box: the database
refuses a done duty without it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.visits import AnnualReview, Visit
from households.models import Evidence, Household


class Duty(models.Model):
    class Kind(models.TextChoices):
        HOSPITAL_VISIT = "hospital_visit", _("住院必访")
        BEREAVEMENT_VISIT = "bereavement_visit", _("丧事必访")
        EMERGENCY_VISIT = "emergency_visit", _("突发事件必访")
        CONTACT = "contact", _("定期联系")
        REVIEW = "review", _("年度复核")
        EVIDENCE_RENEWAL = "evidence_renewal", _("证明材料到期更新")

    # The visit that does a visiting duty: a must-visit needs a visit of its kind; keeping in
    # touch is done by any visit (None).
    VISIT_KIND = {
        Kind.HOSPITAL_VISIT: Visit.Kind.HOSPITAL,
        Kind.BEREAVEMENT_VISIT: Visit.Kind.BEREAVEMENT,
        Kind.EMERGENCY_VISIT: Visit.Kind.EMERGENCY,
        Kind.CONTACT: None,
    }
    MUST_VISIT = (Kind.HOSPITAL_VISIT, Kind.BEREAVEMENT_VISIT, Kind.EMERGENCY_VISIT)

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.PROTECT, related_name="duties"
    )
    kind = models.CharField(_("任务类型"), max_length=20, choices=Kind.choices)
    # What the deadline runs from: the hospitalisation, the death, the application, the last
    # contact, the review's due date, the evidence's last valid day.
    event_on = models.DateField(_("事由日期"))
    due_on = models.DateField(_("完成期限"), db_index=True)
    reason = models.CharField(_("事由"), max_length=200)
    # The household's responsible person when the duty was opened; without one, the duty is
    # the unit's (every caseworker in scope sees it).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties",
    )
    # The evidence that expires (renewal duties only). Deleting that evidence removes the
    # duty with it: there is nothing left to renew.
    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("到期的证明材料"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="renewal_duties",
    )
    opened_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("完成的走访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties",
    )
    review = models.ForeignKey(
        AnnualReview,
        verbose_name=_("完成的复核"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties",
    )
    renewal = models.ForeignKey(
        Evidence,
        verbose_name=_("更新后的证明材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_duties",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶任务")
        verbose_name_plural = _("帮扶任务")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assignee", "done_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("event_on")), name="duty_due_after_event"
            ),
            # Open: nothing did it yet. Done: exactly the record of its kind did it.
            models.CheckConstraint(
                condition=Q(
                    done_on__isnull=True,
                    visit__isnull=True,
                    review__isnull=True,
                    renewal__isnull=True,
                )
                | Q(
                    done_on__isnull=False,
                    kind__in=["hospital_visit", "bereavement_visit", "emergency_visit", "contact"],
                    visit__isnull=False,
                    review__isnull=True,
                    renewal__isnull=True,
                )
                | Q(
                    done_on__isnull=False,
                    kind="review",
                    review__isnull=False,
                    visit__isnull=True,
                    renewal__isnull=True,
                )
                | Q(
                    done_on__isnull=False,
                    kind="evidence_renewal",
                    renewal__isnull=False,
                    visit__isnull=True,
                    review__isnull=True,
                ),
                name="duty_done_by_its_record",
            ),
            models.CheckConstraint(
                condition=Q(kind="evidence_renewal", evidence__isnull=False)
                | (~Q(kind="evidence_renewal") & Q(evidence__isnull=True)),
                name="duty_renewal_names_evidence",
            ),
            # One open duty of a kind per household (per evidence for renewals): a second
            # hospitalisation before the visit keeps the earlier, sooner deadline.
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(done_on__isnull=True) & ~Q(kind="evidence_renewal"),
                name="duty_one_open_per_kind",
            ),
            models.UniqueConstraint(
                fields=["evidence"],
                condition=Q(done_on__isnull=True, kind="evidence_renewal"),
                name="duty_one_open_renewal_per_evidence",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
