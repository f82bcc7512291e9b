"""Demo front door: contacts in every state (new, in progress, closed, called back, overdue,
a complaint, an online message, one that became a file), the legal-aid register and two
cases. Driven through the real services. Called by `seed_demo`; adds nothing if any
contact exists."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from hardship.demo import demo_pdf
from hardship.models import Unit, User
from households.models import Household
from intake import legal, services
from intake.models import Channel, Contact, DutyCaseworker, LegalAidCase, Topic, TopicRule


def _ago(days: int, hour: int = 9) -> datetime.datetime:
    moment = timezone.localtime() - datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0)


def seed_front_door(pdf) -> int:
    """Returns the number of contacts added (0 when the register already has some)."""
    if Contact.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    caseworker, reviewer = users["sh01_caseworker"], users["sh_reviewer"]
    DutyCaseworker.objects.get_or_create(unit=units["SH01"], defaults={"user": caseworker})
    TopicRule.objects.get_or_create(
        unit=units["SH"], topic=Topic.LEGAL, defaults={"handler": reviewer}
    )
    known = Household.objects.filter(union=units["SH01"], status=Household.Status.IN_FILE).first()
    record = services.contact_record

    # New: a hotline call waiting for the duty caseworker.
    record(
        actor=caseworker,
        channel=Channel.HOTLINE,
        received_at=_ago(1),
        topic=Topic.HELP,
        summary="来电称爱人住院，医药费负担重，询问能否申请医疗救助。",
        caller_name="马桂兰",
        phone="13904510021",
        worker_unit=units["SH01"],
    )
    # In progress: a walk-in about policy, matched to a file in file by ID number.
    walk_in = record(
        actor=caseworker,
        channel=Channel.WALK_IN,
        received_at=_ago(2),
        topic=Topic.POLICY,
        summary="询问子女上大学能否申请助学，需要哪些材料。",
        caller_name=known.worker_name if known else "赵国庆",
        id_number=known.id_number if known else "",
        phone="" if known else "13904510022",
        worker_unit=units["SH01"],
    )
    services.contact_act(
        actor=caseworker, contact=walk_in, note="已电话说明助学政策，约定周五来送录取通知书。"
    )
    # Closed on time and called back: a letter, its scan attached.
    letter = record(
        actor=caseworker,
        channel=Channel.LETTER,
        received_at=_ago(6),
        topic=Topic.EMPLOYMENT,
        summary="来信反映下岗后求职困难，希望工会推荐工作。",
        caller_name="孙建华",
        address="示范市炼化区新华路12号",
        worker_unit=units["SH01"],
        attachment=ContentFile(pdf("Letter"), name="来信.pdf"),
        attachment_type="application/pdf",
    )
    services.contact_act(actor=caseworker, contact=letter, note="已推荐至区职业介绍中心免费职介。")
    services.contact_close(
        actor=caseworker,
        contact=letter,
        outcome="推荐参加11月专场招聘会，已登记求职意向。",
        told_how="电话告知",
        caller_told=True,
    )
    services.contact_follow_up(actor=caseworker, contact=letter, satisfaction="satisfied")
    # Closed late, no callback yet.
    late = record(
        actor=caseworker,
        channel=Channel.REFERRAL,
        received_at=_ago(25),
        topic=Topic.HELP,
        summary="社区转来：职工家中失火，请求临时救助。",
        caller_name="周立新",
        phone="13904510023",
        referred_by="新华社区居委会",
        worker_unit=units["SH01"],
    )
    services.contact_close(
        actor=caseworker,
        contact=late,
        outcome="经核实，已指导提出临时救助申请。",
        told_how="上门面告",
        caller_told=True,
    )
    # Overdue: a policy question received three weeks ago, still open.
    record(
        actor=users["sh02_caseworker"],
        channel=Channel.HOTLINE,
        received_at=_ago(21),
        topic=Topic.POLICY,
        summary="询问困难职工认定标准是否调整。",
        caller_name="钱玉梅",
        phone="13904510024",
        worker_unit=units["SH02"],
    )
    # A complaint about a grassroots union: handled by the company union above it.
    record(
        actor=caseworker,
        channel=Channel.HOTLINE,
        received_at=_ago(3),
        topic=Topic.COMPLAINT,
        summary="投诉化工厂工会对其困难申请长期未答复。",
        caller_name="郭振东",
        phone="13904510025",
        about_unit=units["SH02"],
    )
    # A legal question: the topic rule sends it to the company reviewer; it becomes a case.
    wages = record(
        actor=caseworker,
        channel=Channel.WALK_IN,
        received_at=_ago(40),
        topic=Topic.LEGAL,
        summary="外包单位拖欠三个月工资共18600元。",
        caller_name="韩志刚",
        phone="13904510026",
        worker_unit=units["SH01"],
    )
    count = 7
    worker = users.get("my01_worker")
    if worker is not None:
        services.contact_submit_online(
            actor=worker, topic=Topic.POLICY, summary="想了解金秋助学今年何时开始申请。"
        )
        count += 1

    station, _ = legal.LegalAidProvider.objects.get_or_create(
        name="示范市职工法律援助工作站",
        defaults={
            "kind": legal.LegalAidProvider.Kind.STATION,
            "unit": units["HSF"],
            "phone": "0451-12351",
        },
    )
    lawyer = legal.provider_save(
        actor=reviewer,
        unit=units["SH"],
        name="王律师（示范律师事务所）",
        kind=legal.LegalAidProvider.Kind.LAWYER,
        phone="13904519999",
    )
    wage_case = legal.legal_case_open(
        actor=reviewer,
        unit=units["SH01"],
        worker_name="韩志刚",
        phone="13904510026",
        matter=LegalAidCase.Matter.WAGES,
        summary=wages.summary,
        contact=wages,
        opened_on=_ago(40).date(),
    )
    legal.legal_case_refer(
        actor=reviewer, case=wage_case, provider=station, referred_on=_ago(38).date()
    )
    legal.legal_case_conclude(
        actor=reviewer,
        case=wage_case,
        outcome=LegalAidCase.Outcome.MEDIATED,
        amount_recovered=Decimal("18600.00"),
        concluded_on=_ago(10).date(),
    )
    services.contact_close(
        actor=reviewer,
        contact=wages,
        outcome="经法律援助工作站调解，追回工资18600元。",
        told_how="电话告知",
        caller_told=True,
    )
    injury = legal.legal_case_open(
        actor=caseworker,
        unit=units["SH01"],
        worker_name="冯德明",
        phone="13904510027",
        matter=LegalAidCase.Matter.INJURY,
        summary="检修时受伤，单位未申报工伤认定。",
    )
    legal.legal_case_refer(
        actor=caseworker, case=injury, provider=lawyer, referred_on=_ago(0).date()
    )
    return count


def seed(run) -> None:
    """The front door's demo step (hardship.demo.DemoRun)."""
    contacts = seed_front_door(demo_pdf)
    if contacts:
        run.report.append(
            f"{contacts} demo contacts added in every state, and two legal-aid cases."
        )
