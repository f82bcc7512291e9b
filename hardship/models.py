"""The organisation tree, people and their roles, policy parameters, counters, the heads of
the hash chains (hardship.chain) and the log of data exported."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.idnumber import IdNumberField


class Unit(models.Model):
    """A union in the organisation tree: federation → company union → grassroots union.

    `path` is the chain of primary keys from the root ("/1/4/9/") so a whole subtree is one
    indexed prefix query, at any depth.
    """

    class Kind(models.TextChoices):
        FEDERATION = "federation", _("总工会")
        COMPANY = "company", _("公司工会")
        GRASSROOTS = "grassroots", _("基层工会")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("层级"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        _("组织路径"), max_length=255, editable=False, db_index=True, default=""
    )
    # The union's own members (会员), not its subtree's: a subtree's headcount is the sum
    # (hardship.headcount), so the share of members in hardship can be shown as the texts do.
    members_active = models.PositiveIntegerField(_("在职会员人数"), default=0)
    members_retired = models.PositiveIntegerField(_("离退休会员人数"), default=0)
    members_counted_on = models.DateField(_("会员人数统计日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived data kept in step here so that every way of saving a unit
        # through the ORM (services, the admin site) leaves the tree consistent.
        if self.pk and self.parent_id and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {}
        self.path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()  # each child carries the change on to its own children

    def clean(self):
        if self.parent_id and self.pk and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})


class User(AbstractUser):
    """A person who signs in. The ID number, when known, lets the approval chain refuse
    a decision about one's own household."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Normalised and validated like a household's worker (IdNumberField).
    id_number = IdNumberField(_("身份证号"), blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    WORKER = "worker", _("职工本人")
    CASEWORKER = "caseworker", _("帮扶专干")
    GRASSROOTS_CHAIR = "grassroots_chair", _("基层工会主席")
    COMPANY_REVIEWER = "company_reviewer", _("公司工会复核")
    COMMITTEE = "committee", _("党政班子成员")
    FINANCE = "finance", _("财务")
    AUDITOR = "auditor", _("审计")
    ADMINISTRATOR = "administrator", _("系统管理员")


class Membership(models.Model):
    """A role held at a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_role_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class SecondFactorEvent(models.Model):
    """One change to a user's second factor: who did what to whose, and when. Written only by
    hardship.twofactor_services and never changed afterwards; its history row puts it on the
    audit trail with the acting user."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", _("设置验证器")
        REPLACED = "replaced", _("更换验证器")
        RECOVERY_CODES = "recovery_codes", _("重新生成恢复码")
        DISABLED = "disabled", _("关闭两步验证")
        ADMIN_RESET = "admin_reset", _("管理员重置两步验证")

    user = models.ForeignKey(
        User,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="second_factor_events",
    )
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("两步验证记录")
        verbose_name_plural = _("两步验证记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_action_display()}"


class PolicyParameter(models.Model):
    """A policy number with a validity period, optionally for one unit's subtree (its region).

    The most specific unit wins, then the latest start date."""

    class Key(models.TextChoices):
        HARDSHIP_THRESHOLD = "hardship_threshold", _("困难标准（家庭人均月收入，元）")
        EXTREME_THRESHOLD = "extreme_threshold", _("特困标准（家庭人均月收入，元）")
        EMPLOYED_MEMBERS_FLAG = "employed_members_flag", _("就业人数提示线（人）")
        EMERGENCY_CAP = "emergency_cap", _("临时救助每案上限（元）")
        EDUCATION_CAP = "education_cap", _("助学每案上限（元）")
        MEDICAL_CAP = "medical_cap", _("医疗救助每案上限（元）")
        NOTICE_DAYS = "notice_days", _("公示期（天）")
        HOUSEHOLD_YEAR_CAP = "household_year_cap", _("每户每年帮扶上限（元）")
        REVIEW_MONTHS = "review_months", _("年度复核周期（月）")
        EXPORT_RETENTION_DAYS = "export_retention_days", _("导出文件保留期（天）")
        BACKDATE_MONTHS = "backdate_months", _("记账日期可追溯的上月数（0为仅当月）")
        APPEAL_DAYS = "appeal_days", _("申诉期限（天，自决定或注销生效之日起）")
        # 来电来访来信的办理时限, one per topic (intake.routing reads them).
        INTAKE_DAYS_HELP = "intake_days_help", _("求助来访办理时限（天）")
        INTAKE_DAYS_POLICY = "intake_days_policy", _("政策咨询办理时限（天）")
        INTAKE_DAYS_LEGAL = "intake_days_legal", _("法律问题来访办理时限（天）")
        INTAKE_DAYS_EMPLOYMENT = "intake_days_employment", _("就业问题来访办理时限（天）")
        INTAKE_DAYS_COMPLAINT = "intake_days_complaint", _("投诉办理时限（天）")
        INTAKE_DAYS_OTHER = "intake_days_other", _("其他来访办理时限（天）")
        CASH_REGULAR = "cash_regular", _("定期补助可现金发放（1为允许，0为不允许）")
        CASH_FESTIVAL = "cash_festival", _("节日慰问金可现金发放（1为允许，0为不允许）")
        LOAN_CAP = "loan_cap", _("小额借款每笔上限（元）")
        LOAN_TERM_MONTHS = "loan_term_months", _("小额借款最长期限（月）")
        LOAN_ANNUAL_RATE = "loan_annual_rate", _("小额借款年利率（%，0为免息）")
        # Casework duties (casework.duties): how soon each must be done.
        CONTACT_DAYS = "contact_days", _("帮扶责任人联系帮扶户的间隔（天）")
        VISIT_DAYS_HOSPITAL = "visit_days_hospital", _("住院必访时限（天）")
        VISIT_DAYS_BEREAVEMENT = "visit_days_bereavement", _("丧事必访时限（天）")
        VISIT_DAYS_EMERGENCY = "visit_days_emergency", _("突发事件必访时限（天）")
        REVIEW_TASK_DAYS = "review_task_days", _("年度复核任务提前生成（天）")
        EVIDENCE_WARNING_DAYS = "evidence_warning_days", _("证明材料到期提醒（天）")

    key = models.CharField(_("参数"), max_length=48, choices=Key.choices)
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("适用单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("留空表示全系统适用；填写则适用于该单位及其下级。"),
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["key", "unit__path", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="policy_valid_to_after_from",
            ),
            models.CheckConstraint(condition=Q(value__gte=Decimal("0")), name="policy_value_gte_0"),
            models.UniqueConstraint(
                fields=["key", "unit", "valid_from"], name="policy_unique_start"
            ),
            # NULL units are distinct to a plain unique index: system-wide rows need their own.
            models.UniqueConstraint(
                fields=["key", "valid_from"],
                condition=Q(unit__isnull=True),
                name="policy_unique_start_system_wide",
            ),
        ]

    def __str__(self):
        return f"{self.get_key_display()} = {self.value}"


class Counter(models.Model):
    """A named counter for human-readable numbers (申请编号 per year, 档案编号 per union and
    year; see hardship.sequences). Taking a number locks the row, so two requests never get
    the same one."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"


class ChainHead(models.Model):
    """The last hash of a tamper-evident chain (hardship.chain). Writers lock this row, so rows
    join the chain one at a time and in primary-key order."""

    name = models.CharField(max_length=40, primary_key=True)
    last_hash = models.CharField(max_length=64, default="")
    # How many rows the chain holds (the last row's position) and the last row's id: a row
    # removed from the end is named by them.
    rows = models.PositiveBigIntegerField(default=0)
    last_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        db_table = "audit_chainhead"  # created by the audit app, which held the chain first

    def __str__(self):
        return self.name


class ExportLog(models.Model):
    """One export of personal data (a file or PDF taken away); written by the page that
    exports (hardship.trails.export_logged), read by the auditors."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("困难职工台账")
        ANNUAL_XLSX = "annual_xlsx", _("年度报表 Excel")
        ANNUAL_PDF = "annual_pdf", _("年度报表 PDF")
        NOTICE_PDF = "notice_pdf", _("公示名单 PDF")
        APPLICATION_PDF = "application_pdf", _("申请审批表 PDF")
        BANK_FILE = "bank_file", _("银行代发文件")
        PAYROLL_PDF = "payroll_pdf", _("发放花名册 PDF")
        PAYROLL_XLSX = "payroll_xlsx", _("发放花名册 Excel")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("导出内容"), max_length=20, choices=Kind.choices)
    scope = models.CharField(_("范围"), max_length=300)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    full_identity = models.BooleanField(_("含完整身份信息"), default=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "audit_exportlog"  # created by the audit app, which held the log first
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d}"
