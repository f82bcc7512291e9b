"""Demo applications in every state of the chain, driven through the real services so each
trail is what the people named in it would have produced. Called by `seed_demo`."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import appeals, engine, rules, services
from cases.models import Appeal, Application, EvidenceRequirement, MedicalAidTier, Notice
from hardship.demo import demo_pdf
from hardship.history import acted_by
from hardship.models import PolicyParameter, Unit, User
from households.models import AidMeasure, Cause, Evidence, Household
from households.plans import open_measures

KIND_MEASURE = {
    Application.Kind.EMERGENCY: AidMeasure.Measure.LIVING,
    Application.Kind.EDUCATION: AidMeasure.Measure.EDUCATION,
    Application.Kind.MEDICAL: AidMeasure.Measure.MEDICAL,
}

Kind = Application.Kind
Action = services.Action

REQUIREMENTS = [
    # (cause, application kind, document)
    (Cause.ILLNESS, "", Evidence.Kind.DIAGNOSIS),
    (Cause.DISABILITY, "", Evidence.Kind.DISABILITY_CERT),
    (Cause.EDUCATION, "", Evidence.Kind.ADMISSION),
    (Cause.ACCIDENT, "", Evidence.Kind.ACCIDENT_PROOF),
    (Cause.DISASTER, "", Evidence.Kind.ACCIDENT_PROOF),
    (Cause.UNEMPLOYMENT, "", Evidence.Kind.TERMINATION),
    ("", Kind.EDUCATION, Evidence.Kind.ADMISSION),
    ("", Kind.EDUCATION, Evidence.Kind.TUITION),
    ("", Kind.MEDICAL, Evidence.Kind.DIAGNOSIS),
    ("", Kind.MEDICAL, Evidence.Kind.MEDICAL_BILLS),
]
# The published medical-aid rule: 1,000–10,000 at 70%, 10,000–50,000 at 85%, 50,000+ at 95%.
TIERS = [("1000", "10000", "0.70"), ("10000", "50000", "0.85"), ("50000", None, "0.95")]


def seed_policy(pdf) -> None:
    start = datetime.date(2020, 1, 1)
    for lower, upper, rate in TIERS:
        MedicalAidTier.objects.get_or_create(
            lower=Decimal(lower),
            valid_from=start,
            defaults={"upper": Decimal(upper) if upper else None, "rate": Decimal(rate)},
        )
    for cause, kind, evidence in REQUIREMENTS:
        EvidenceRequirement.objects.get_or_create(
            cause=cause, application_kind=kind, evidence_kind=evidence
        )
    for key, value, note in [
        (PolicyParameter.Key.EMERGENCY_CAP, "20000", "临时救助每案最高2万元"),
        (PolicyParameter.Key.NOTICE_DAYS, "5", "局域网公示5天"),
    ]:
        PolicyParameter.objects.get_or_create(
            key=key, unit=None, valid_from=start, defaults={"value": Decimal(value), "note": note}
        )


class Story:
    def __init__(self, pdf):
        self.pdf = pdf
        self.users = {u.username: u for u in User.objects.all()}

    def people(self, household):
        union = household.union.code.lower()
        company = Unit.objects.get(pk=household.union.parent_id).code.lower()
        u = self.users
        return (
            u[f"{union}_caseworker"],
            u[f"{union}_chair"],
            u[f"{company}_reviewer"],
            u[f"{company}_committee"],
        )

    def complete_evidence(self, application):
        """Upload demo documents for whatever the policy still asks for."""
        household = application.household
        for cause, kind in rules.required_evidence(application):
            cause = cause or household.causes.first().cause
            if household.evidence.filter(kind=kind).exists():
                continue
            content = self.pdf(f"Demo {kind} {household.file_number}")
            evidence = Evidence(
                household=household,
                cause=cause,
                kind=kind,
                original_name=f"{Evidence.Kind(kind).label}.pdf",
                content_type=Evidence.ContentType.PDF,
                size=len(content),
                uploaded_by=application.filed_by,
            )
            evidence.file.save("demo.pdf", ContentFile(content), save=False)
            acted_by(application.filed_by, evidence)
            evidence.save()

    def file(self, household, kind, reason, *, by=None, amount=None, self_paid=None):
        caseworker = self.people(household)[0]
        # An aid application carries out the household's open measure of its kind, if any.
        measure = (
            open_measures(household).filter(measure=KIND_MEASURE[kind]).first()
            if kind in KIND_MEASURE
            else None
        )
        return services.application_file(
            actor=by or caseworker,
            household=household,
            kind=kind,
            reason=reason,
            amount=amount,
            self_paid=self_paid,
            measure=measure,
        )

    def act(self, application, actor, action=Action.APPROVE, comment=""):
        return engine.decide(
            chain=services.APPLICATION_APPROVAL,
            actor=actor,
            obj=application,
            action=action,
            expected_state=application.state,
            comment=comment,
        )

    def advance(self, application, to_state):
        """Approve level by level until the application reaches `to_state`."""
        _cw, chair, reviewer, committee = self.people(application.household)
        steps = [
            (Application.State.SUBMITTED, chair, "情况属实，同意上报。"),
            (Application.State.GRASSROOTS_APPROVED, reviewer, "经入户调查核实，符合条件。"),
            (Application.State.COMPANY_VERIFIED, committee, "经党政班子会研究，同意。"),
        ]
        for state, actor, comment in steps:
            if application.state == to_state:
                return application
            if state == Application.State.GRASSROOTS_APPROVED:
                self.complete_evidence(application)
                services.investigation_record(
                    actor=actor,
                    application=application,
                    method="home_visit",
                    visited_on=timezone.localdate() - datetime.timedelta(days=2),
                    investigators=f"{actor}、{application.household.responsible_user or application.household.responsible_person}",
                    findings="入户核实家庭人口、收入与住房情况，与申报一致。",
                )
            application = self.act(application, actor, comment=comment)
        return application

    def make_effective(self, application):
        """Back-date the notice period so that today's close makes it effective."""
        today = timezone.localdate()
        Notice.objects.filter(application=application).update(
            starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=4)
        )
        services.close_due_notices(today)


def households(union_code, status=Household.Status.IN_FILE):
    return (
        Household.objects.filter(union__code=union_code, status=status, worker_account__isnull=True)
        .select_related("union")
        .order_by("pk")
    )


def seed_applications(pdf) -> int:
    """Applications in every state, so each demo role finds work in its inbox."""
    if Application.objects.exists():
        return 0
    story = Story(pdf)
    u = story.users
    sh01, sh02, sh03, my01 = (households(code) for code in ("SH01", "SH02", "SH03", "MY01"))

    # Waiting for the grassroots chair of 炼油厂: one filed by a caseworker, one by the worker.
    story.file(
        sh01[0],
        Kind.EMERGENCY,
        "家中突发火灾，生活用品损毁，申请临时救助。",
        amount=Decimal("5000"),
    )
    own = Household.objects.get(worker_account=u["sh01_worker"])
    story.file(
        own,
        Kind.MEDICAL,
        "本人今年住院手术，医保报销后个人自付部分负担较重。",
        by=u["sh01_worker"],
        amount=Decimal("9000"),
        self_paid=Decimal("12000"),
    )
    # Waiting for the company reviewer (needs an investigation first).
    story.advance(
        story.file(
            sh02[0],
            Kind.EDUCATION,
            "子女考入大学，学费无力负担，申请金秋助学。",
            amount=Decimal("3000"),
        ),
        Application.State.GRASSROOTS_APPROVED,
    )
    # Waiting for the committee.
    story.advance(
        story.file(
            sh03[0], Kind.EMERGENCY, "配偶意外受伤住院，家庭收入中断。", amount=Decimal("8000")
        ),
        Application.State.COMPANY_VERIFIED,
    )
    # In public notice: the coal miner's medical aid (surgery over 20,000 yuan).
    miner = Household.objects.get(worker_account=u["my01_worker"])
    suggestion = rules.medical_suggestion(Decimal("23500"))
    story.advance(
        story.file(
            miner,
            Kind.MEDICAL,
            "本人患心脏病，手术费用两万余元，每月药费约500元，仅有病休工资800元，妻子患病，"
            "三个子女上学，赡养两位七十岁以上老人，特申请医疗救助。",
            amount=suggestion.amount,
            self_paid=Decimal("23500"),
        ),
        Application.State.IN_NOTICE,
    )
    # In notice with an open objection: waits for the company reviewer.
    disputed = story.advance(
        story.file(
            sh01[1], Kind.EMERGENCY, "冬季取暖费用无力承担，申请临时救助。", amount=Decimal("2000")
        ),
        Application.State.IN_NOTICE,
    )
    services.objection_lodge(
        actor=u["sh02_caseworker"],
        notice=disputed.notice,
        reason="听说该户家中新购置了小汽车，请核实。",
    )
    # Effective: a new file put in file, and relief now payable.
    draft = (
        Household.objects.filter(union__code="SH01", status=Household.Status.DRAFT)
        .order_by("pk")
        .first()
    )
    if draft is not None:
        story.make_effective(
            story.advance(
                story.file(
                    draft, Kind.ESTABLISH, "家庭人均收入低于困难标准，申请建立困难职工档案。"
                ),
                Application.State.IN_NOTICE,
            )
        )
    story.make_effective(
        story.advance(
            story.file(
                my01[0],
                Kind.EMERGENCY,
                "矿区停产，家庭生活困难，申请临时救助。",
                amount=Decimal("3000"),
            ),
            Application.State.IN_NOTICE,
        )
    )
    # Returned to the caseworker of 化工厂 for correction.
    returned = story.file(sh02[1], Kind.EMERGENCY, "生活困难。", amount=Decimal("6000"))
    story.act(
        returned, u["sh02_chair"], Action.RETURN, "申请理由过于简单，请补充致困情况和金额依据。"
    )
    # Rejected at the first level.
    rejected = story.file(sh03[1], Kind.EMERGENCY, "申请补助购买家电。", amount=Decimal("4000"))
    story.act(rejected, u["sh03_chair"], Action.REJECT, "购买家电不属于临时救助范围。")
    # An exit proposed for a household whose income has risen.
    story.file(sh01[2], Kind.EXIT, "子女已参加工作，家庭人均收入超过困难标准，申请脱困。")
    return Application.objects.count()


def seed(run) -> None:
    """The applications' demo step (hardship.demo.DemoRun): evidence rules, caps and
    medical-aid tiers, then applications in every state of the chain, and appeals."""
    seed_policy(demo_pdf)
    applications = seed_applications(demo_pdf)
    if applications:
        run.report.append(
            f"{applications} demo applications added across every state of the chain."
        )
    appeals_added = seed_appeals(demo_pdf)
    if appeals_added:
        run.report.append(f"{appeals_added} demo appeals: upheld, dismissed and waiting.")


def seed_appeals(pdf) -> int:
    """Appeals in each state, decided by the demo accounts: one upheld at the company union
    (煤业, back to 基层工会审查), one dismissed by the federation (石化), and two waiting: a
    grassroots rejection for sh_reviewer, a cancellation for hsf_committee."""
    if Appeal.objects.exists():
        return 0
    PolicyParameter.objects.get_or_create(
        key=PolicyParameter.Key.APPEAL_DAYS,
        unit=None,
        valid_from=datetime.date(2020, 1, 1),
        defaults={"value": Decimal("30"), "note": "收到决定或注销生效之日起30日内可以申诉"},
    )
    story = Story(pdf)
    u = story.users

    def rejected(household, by, comment, at=Application.State.SUBMITTED):
        application = story.file(
            household, Kind.EMERGENCY, "家庭收入骤减，申请临时救助。", amount=Decimal("4000")
        )
        story.advance(application, at)
        application.refresh_from_db()
        return story.act(application, by, Action.REJECT, comment)

    def lodge(application, reason):
        caseworker = story.people(application.household)[0]
        return appeals.appeal_lodge(actor=caseworker, application=application, reason=reason)

    def decide(appeal, actor, comment, send_back_to=""):
        return appeals.appeal_decide(
            actor=actor,
            appeal=appeal,
            uphold=bool(send_back_to),
            expected_state=appeal.state,
            comment=comment,
            send_back_to=send_back_to,
        )

    (my02,) = households("MY02")[:1]
    upheld = lodge(
        rejected(my02, u["my02_chair"], "家庭人均收入高于困难标准。"),
        "配偶今年已下岗，审查时仍按原工资计算了家庭收入。",
    )
    decide(
        upheld, u["my_reviewer2"], "配偶下岗属实，收入认定有误，退回基层工会重新审查。", "submitted"
    )

    (sh04,) = households("SH04")[:1]
    dismissed = lodge(
        rejected(
            sh04,
            u["sh_reviewer"],
            "入户调查发现家中新购小汽车，不符合条件。",
            at=Application.State.GRASSROOTS_APPROVED,
        ),
        "车辆是亲属借用登记在我名下，不是我家的。",
    )
    decide(dismissed, u["hsf_committee"], "经核查车辆登记和使用情况，原决定认定无误，维持原决定。")

    sh03 = households("SH03")[2]
    lodge(
        rejected(sh03, u["sh03_chair"], "致困原因证明不足。"),
        "医院诊断证明已补交，请公司工会复查。",
    )
    (my03,) = households("MY03")[:1]
    cancellation = story.file(my03, Kind.CANCEL, "职工已调离本单位，申请注销困难职工档案。")
    story.make_effective(story.advance(cancellation, Application.State.IN_NOTICE))
    cancellation.refresh_from_db()
    lodge(cancellation, "本人只是借调外单位，劳动关系仍在本公司，不应注销。")
    return Appeal.objects.count()
