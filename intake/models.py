"""The help centre's front door: the intake register (来电来访来信登记), who handles a unit's
contacts, and legal aid (法律援助): the register of stations and lawyers, and the cases."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.idnumber import IdNumberField

MONEY = {"max_digits": 12, "decimal_places": 2}


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12351热线")
    WALK_IN = "walk_in", _("来访")
    LETTER = "letter", _("来信")
    ONLINE = "online", _("网上求助")
    REFERRAL = "referral", _("其他单位转来")


class Topic(models.TextChoices):
    HELP = "help", _("求助")
    POLICY = "policy", _("政策咨询")
    LEGAL = "legal", _("法律问题")
    EMPLOYMENT = "employment", _("就业")
    COMPLAINT = "complaint", _("投诉")
    OTHER = "other", _("其他")


class DutyCaseworker(models.Model):
    """Who takes a unit's contacts (值班帮扶专干), set in the admin site. A unit without one
    routes to its first caseworker (intake.routing)."""

    unit = models.OneToOneField(
        "hardship.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="duty_caseworker",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("值班人员"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("值班帮扶专干")
        verbose_name_plural = _("值班帮扶专干")

    def __str__(self):
        return f"{self.unit} · {self.user}"


class TopicRule(models.Model):
    """Policy: contacts of one topic from a unit's subtree go to a named handler (e.g. legal
    questions to the company union's legal-aid contact). The nearest unit's rule wins."""

    unit = models.ForeignKey("hardship.Unit", verbose_name=_("适用单位"), on_delete=models.PROTECT)
    topic = models.CharField(_("类别"), max_length=16, choices=Topic.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分类分办规则")
        verbose_name_plural = _("分类分办规则")
        constraints = [
            models.UniqueConstraint(fields=["unit", "topic"], name="topicrule_one_per_unit_topic")
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_topic_display()} → {self.handler}"


class Contact(models.Model):
    """One call, visit, letter or online message (来电来访来信), from recording to the
    callback. `unit` is where it is handled: its staff and those above see it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待办理")
        IN_PROGRESS = "in_progress", _("办理中")
        CLOSED = "closed", _("已办结")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")
        UNREACHABLE = "unreachable", _("未联系上")

    number = models.CharField(_("登记编号"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("来访时间"), default=timezone.now, db_index=True)
    topic = models.CharField(_("类别"), max_length=16, choices=Topic.choices, db_index=True)
    summary = models.TextField(_("反映内容"), max_length=4000)
    caller_name = models.CharField(_("姓名"), max_length=50)
    id_number = IdNumberField(_("身份证号"), blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    referred_by = models.CharField(_("转来单位"), max_length=100, blank=True)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("困难职工档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("职工账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_contacts",
    )
    application = models.ForeignKey(
        "cases.Application",
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker_unit = models.ForeignKey(
        "hardship.Unit",
        verbose_name=_("职工所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    about_unit = models.ForeignKey(
        "hardship.Unit",
        verbose_name=_("被投诉单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "hardship.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_contacts",
    )
    routing_note = models.CharField(_("分办依据"), max_length=200, blank=True)
    due_on = models.DateField(_("办理时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome = models.TextField(_("办理结果"), max_length=4000, blank=True)
    told_how = models.CharField(_("告知方式"), max_length=50, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("回访满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    follow_up_note = models.CharField(_("回访记录"), max_length=500, blank=True)
    attachment = models.FileField(_("来信扫描件"), upload_to="intake/", blank=True)
    attachment_type = models.CharField(max_length=40, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("来电来访来信")
        verbose_name_plural = _("来电来访来信")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="contact_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction="") | Q(status="closed"),
                name="contact_followed_up_after_closing",
            ),
            models.CheckConstraint(
                condition=~Q(topic="complaint") | Q(about_unit__isnull=False),
                name="contact_complaint_names_unit",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("intake_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        if self.status == self.Status.CLOSED:
            return False
        return self.due_on < timezone.localdate()

    @property
    def closed_on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return timezone.localdate(self.closed_at) <= self.due_on


class ContactAction(models.Model):
    """One step the handler took (called back, asked the company, visited...)."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("登记"), on_delete=models.CASCADE, related_name="actions"
    )
    note = models.TextField(_("办理情况"), max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.contact} {self.at:%Y-%m-%d}"


class LegalAidProvider(models.Model):
    """A legal-aid station or lawyer the union refers workers to (法律援助站、律师)."""

    class Kind(models.TextChoices):
        STATION = "station", _("法律援助站")
        LAWYER = "lawyer", _("律师")
        MEDIATION = "mediation", _("调解组织")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        "hardship.Unit", verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律援助机构")
        verbose_name_plural = _("法律援助机构")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class LegalAidCase(models.Model):
    """A worker's legal-aid case (法律援助案件): the matter, the referral, the outcome and
    what was recovered."""

    class Matter(models.TextChoices):
        CONTRACT = "contract", _("劳动合同")
        WAGES = "wages", _("拖欠工资")
        INJURY = "injury", _("工伤")
        SOCIAL_INSURANCE = "social_insurance", _("社会保险")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("已受理")
        REFERRED = "referred", _("已转介")
        CONCLUDED = "concluded", _("已结案")

    class Outcome(models.TextChoices):
        MEDIATED = "mediated", _("调解结案")
        ARBITRATION = "arbitration", _("仲裁结案")
        COURT = "court", _("诉讼结案")
        WITHDRAWN = "withdrawn", _("撤回")

    number = models.CharField(_("案件编号"), max_length=20, unique=True, editable=False)
    worker_name = models.CharField(_("职工姓名"), max_length=50)
    id_number = IdNumberField(_("身份证号"), blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("困难职工档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("来访登记"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_cases",
    )
    unit = models.ForeignKey(
        "hardship.Unit", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+"
    )
    matter = models.CharField(_("事项"), max_length=20, choices=Matter.choices)
    summary = models.TextField(_("案情"), max_length=4000)
    provider = models.ForeignKey(
        LegalAidProvider,
        verbose_name=_("转介至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    referred_on = models.DateField(_("转介日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACCEPTED
    )
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, blank=True)
    amount_recovered = models.DecimalField(
        _("挽回金额（元）"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True)
    opened_on = models.DateField(_("受理日期"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律援助案件")
        verbose_name_plural = _("法律援助案件")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_recovered__gte=Decimal("0")), name="legalaid_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(status="concluded") | (~Q(outcome="") & Q(concluded_on__isnull=False)),
                name="legalaid_concluded_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(provider__isnull=False),
                name="legalaid_referred_names_provider",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("legal_aid_detail", args=[self.pk])


class IntakeRevealLog(models.Model):
    """One "显示" of a masked ID number or phone on a contact or a legal-aid case, like the
    household file's reveal log (audit.RevealLog), which points at households only."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("身份证号")
        PHONE = "phone", _("联系电话")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_case = models.ForeignKey(
        LegalAidCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("字段"), max_length=16, choices=Field.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("查看来访人信息记录")
        verbose_name_plural = _("查看来访人信息记录")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(legal_case__isnull=False),
                name="intakereveal_names_a_record",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.field}"
