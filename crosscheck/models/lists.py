"""Outside lists (民政, 人社) as imported, their columns remembered per source, the match
report's lines, the follow-ups they open and the log of imports and report views. Kept
beside the registry: no value of a list is ever written into a household file."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.idnumber import IdNumberField
from hardship.models import Unit

MONEY = {"max_digits": 12, "decimal_places": 2}


class OutsideList(models.Model):
    class Kind(models.TextChoices):
        CIVIL = "civil", _("民政救助名单")
        HR = "hr", _("人社就业与工资数据")

    kind = models.CharField(_("名单类型"), max_length=8, choices=Kind.choices)
    source = models.CharField(_("数据来源"), max_length=100, help_text=_("如：示范区民政局。"))
    list_date = models.DateField(_("数据日期"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("比对范围"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    row_count = models.PositiveIntegerField(_("行数"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外部名单")
        verbose_name_plural = _("外部名单")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source} {self.list_date}"

    def get_absolute_url(self):
        return reverse("crosscheck_list_detail", args=[self.pk])


class OutsideRow(models.Model):
    """One row of an outside list, cleaned (ID number normalised, category and status read)."""

    class Category(models.TextChoices):
        DIBAO = "dibao", _("低保")
        TEKUN = "tekun", _("特困")
        NEAR_DIBAO = "near_dibao", _("低保边缘")

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("在职")
        LEFT = "left", _("离职")
        RETIRED = "retired", _("退休")

    outside_list = models.ForeignKey(OutsideList, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("行号"))
    id_number = IdNumberField(_("身份证号"), db_index=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    category = models.CharField(_("救助类别"), max_length=16, choices=Category.choices, blank=True)
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("终止日期"), null=True, blank=True)
    employment = models.CharField(
        _("就业状态"), max_length=16, choices=Employment.choices, blank=True
    )
    monthly_wage = models.DecimalField(_("月工资（元）"), null=True, blank=True, **MONEY)
    insurance = models.CharField(_("社保状态"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("外部名单行")
        verbose_name_plural = _("外部名单行")
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["outside_list", "id_number"], name="outside_row_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(monthly_wage__isnull=True) | Q(monthly_wage__gte=0),
                name="outside_row_wage_gte_0",
            ),
        ]

    def __str__(self):
        return f"{self.row_number} {self.name}"


class ColumnMapping(models.Model):
    """Which column of a source's file holds which field, remembered from its last import."""

    kind = models.CharField(_("名单类型"), max_length=8, choices=OutsideList.Kind.choices)
    source = models.CharField(_("数据来源"), max_length=100)
    mapping = models.JSONField(_("列对应关系"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("列对应关系")
        verbose_name_plural = _("列对应关系")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="column_mapping_per_source")
        ]

    def __str__(self):
        return f"{self.kind} {self.source}"


class FollowUp(models.Model):
    """A follow-up (跟进事项) on a household, assigned to a caseworker and listed until closed.
    Opened from a match-report line or a discrepancy found by payment verification. (There
    is no task model; the front door's complaint register is a sibling app this one cannot
    import: docs/architecture.md, crosscheck.)"""

    class Origin(models.TextChoices):
        MATCH = "match", _("外部比对")
        VERIFICATION = "verification", _("发放核查")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("困难职工档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices)
    subject = models.CharField(_("事项"), max_length=300)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | (Q(closed_by__isnull=False) & ~Q(outcome="")),
                name="follow_up_closed_with_who_and_outcome",
            )
        ]

    def __str__(self):
        return self.subject


class MatchLine(models.Model):
    """One finding of a list's match report, kept so it can be explained or followed up."""

    class Kind(models.TextChoices):
        DIBAO_NOT_LISTED = "dibao_not_listed", _("在档低保户不在民政名单上")
        NOT_FILED = "not_filed", _("民政名单上有、未建档（应保尽保）")
        OTHER_CATEGORY = "other_category", _("民政类别与档案困难类别不符")
        ABOVE_THRESHOLD = "above_threshold", _("按人社工资计算超过困难标准")
        CONTRADICTS = "contradicts", _("人社数据与档案不符")
        MEMBER_EMPLOYED = "member_employed", _("成员人社在职、档案登记无业")

    outside_list = models.ForeignKey(OutsideList, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("比对结果"), max_length=20, choices=Kind.choices)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("困难职工档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    row = models.ForeignKey(
        OutsideRow, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detail = models.CharField(_("说明"), max_length=300)
    explained_reason = models.TextField(_("情况说明"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("说明人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    explained_at = models.DateTimeField(_("说明时间"), null=True, blank=True)
    follow_up = models.OneToOneField(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="match_line"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("比对结果")
        verbose_name_plural = _("比对结果")
        ordering = ["kind", "pk"]
        # The report lists a page of lines by kind (a company's list may leave tens of
        # thousands of lines).
        indexes = [models.Index(fields=["outside_list", "kind", "id"], name="match_line_in_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(explained_at__isnull=True)
                | (Q(explained_by__isnull=False) & ~Q(explained_reason="")),
                name="match_line_explained_with_who_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(row__isnull=False),
                name="match_line_names_a_file_or_a_row",
            ),
        ]

    def __str__(self):
        return self.detail

    @property
    def explained(self) -> bool:
        return self.explained_at is not None


class AccessLog(models.Model):
    """Every import of an outside list and every view of a match report (who, when)."""

    class Action(models.TextChoices):
        IMPORT = "import", _("导入")
        VIEW = "view", _("查看比对报告")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices)
    outside_list = models.ForeignKey(
        OutsideList, on_delete=models.CASCADE, related_name="access_log"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("比对查看记录")
        verbose_name_plural = _("比对查看记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.outside_list_id}"
