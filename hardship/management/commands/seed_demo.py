"""Demo data shaped by the figures in DOMAIN.md. Safe to run again: it adds only what is
missing and never changes what is there."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases import demo as cases_demo
from funds import demo as funds_demo
from hardship.idnumber import check_character
from hardship.models import Membership, PolicyParameter, Role, Unit, User
from households.models import (
    AidMeasure,
    Cause,
    Evidence,
    HardshipCause,
    Household,
    IncomeItem,
    Member,
    main_cause_by_default,
)
from households.reviews import add_months

DEMO_PASSWORD = "demo-pass-2026"
SEED = 2026
TODAY = datetime.date(2026, 11, 1)

# (code, name, kind, parent code, region codes for ID numbers of its people)
UNITS = [
    ("HSF", "示范市总工会", Unit.Kind.FEDERATION, None, []),
    ("SH", "示范石化公司工会", Unit.Kind.COMPANY, "HSF", []),
    ("SH01", "炼油厂工会", Unit.Kind.GRASSROOTS, "SH", ["230103", "230104"]),
    ("SH02", "化工厂工会", Unit.Kind.GRASSROOTS, "SH", ["230108", "230102"]),
    ("SH03", "机修厂工会", Unit.Kind.GRASSROOTS, "SH", ["230103", "230102"]),
    ("SH04", "离退休职工管理中心工会", Unit.Kind.GRASSROOTS, "SH", ["230104", "230108"]),
    ("MY", "示范煤业公司工会", Unit.Kind.COMPANY, "HSF", []),
    ("MY01", "一矿工会", Unit.Kind.GRASSROOTS, "MY", ["230302", "230303"]),
    ("MY02", "二矿工会", Unit.Kind.GRASSROOTS, "MY", ["230304", "230302"]),
    ("MY03", "洗煤厂工会", Unit.Kind.GRASSROOTS, "MY", ["230305", "230302"]),
    ("MY04", "机电总厂工会", Unit.Kind.GRASSROOTS, "MY", ["230307", "230303"]),
]

# (username, full name, role, unit code)
USERS = [
    ("admin", "系统管理员", Role.ADMINISTRATOR, "HSF"),
    ("hsf_auditor", "高审计", Role.AUDITOR, "HSF"),
    ("sh_reviewer", "周复核", Role.COMPANY_REVIEWER, "SH"),
    # A second reviewer settles objections on applications the first one verified.
    ("sh_reviewer2", "魏复核", Role.COMPANY_REVIEWER, "SH"),
    ("sh_committee", "吴书记", Role.COMMITTEE, "SH"),
    ("sh_finance", "郑会计", Role.FINANCE, "SH"),
    ("sh_auditor", "冯审计", Role.AUDITOR, "SH"),
    ("my_reviewer", "陈复核", Role.COMPANY_REVIEWER, "MY"),
    ("my_reviewer2", "陶复核", Role.COMPANY_REVIEWER, "MY"),
    ("my_committee", "褚主任", Role.COMMITTEE, "MY"),
    ("my_finance", "卫出纳", Role.FINANCE, "MY"),
    ("my_auditor", "蒋审计", Role.AUDITOR, "MY"),
]
GRASSROOTS_STAFF = [  # per grassroots union: caseworker and chair
    ("SH01", "沈帮扶", "韩主席"),
    ("SH02", "杨帮扶", "朱主席"),
    ("SH03", "秦帮扶", "尤主席"),
    ("SH04", "许帮扶", "何主席"),
    ("MY01", "吕帮扶", "施主席"),
    ("MY02", "张帮扶", "孔主席"),
    ("MY03", "曹帮扶", "严主席"),
    ("MY04", "华帮扶", "金主席"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
RARE = "堃喆赟镕玥"  # kept in the data so later PDF tests meet them

CAUSE_MEASURE = {
    Cause.ILLNESS: (AidMeasure.Measure.MEDICAL, "住院及慢性病医疗救助"),
    Cause.DISABILITY: (AidMeasure.Measure.LIVING, "残疾人生活补助"),
    Cause.EDUCATION: (AidMeasure.Measure.EDUCATION, "金秋助学，每学年资助学费"),
    Cause.DISASTER: (AidMeasure.Measure.LIVING, "灾后临时生活救助"),
    Cause.ACCIDENT: (AidMeasure.Measure.LIVING, "意外事故临时救助"),
    Cause.SINGLE_PARENT: (AidMeasure.Measure.LIVING, "单亲家庭定期生活补助"),
    Cause.UNEMPLOYMENT: (AidMeasure.Measure.EMPLOYMENT, "职业技能培训并推荐就业"),
    Cause.SHUTDOWN: (AidMeasure.Measure.EMPLOYMENT, "转岗培训、推荐再就业"),
    Cause.LOW_INCOME: (AidMeasure.Measure.LIVING, "节日慰问及定期补助"),
    Cause.OTHER: (AidMeasure.Measure.OTHER, "视情况临时救助"),
}
CAUSE_EVIDENCE = {
    Cause.ILLNESS: Evidence.Kind.DIAGNOSIS,
    Cause.DISABILITY: Evidence.Kind.DISABILITY_CERT,
    Cause.EDUCATION: Evidence.Kind.ADMISSION,
    Cause.DISASTER: Evidence.Kind.ACCIDENT_PROOF,
    Cause.ACCIDENT: Evidence.Kind.ACCIDENT_PROOF,
    Cause.UNEMPLOYMENT: Evidence.Kind.TERMINATION,
    Cause.SHUTDOWN: Evidence.Kind.TERMINATION,
    Cause.LOW_INCOME: Evidence.Kind.INCOME_PROOF,
}


def demo_review_due(established: datetime.date, id_number: str) -> datetime.date:
    """Most files were reviewed on time, so their next review falls on the coming anniversary;
    about one in seven was not, and is overdue."""
    due = add_months(established, 12)
    if int(id_number[14:17]) % 7 == 0:
        return due
    while due < TODAY - datetime.timedelta(days=20):
        due = add_months(due, 12)
    return due


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with an ASCII title: enough to be opened and to pass the upload check."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class MemberSpec:
    name: str
    relation: str
    birth: datetime.date
    sex: str
    health: str = Member.Health.HEALTHY
    grade: int | None = None
    employment: str = Member.Employment.NONE
    school: str = Member.SchoolStage.NONE
    income: Decimal = Decimal("0")
    with_id: bool = True


@dataclass
class HouseholdSpec:
    union: str
    name: str
    sex: str
    birth: datetime.date
    employment: str
    category: str
    level: str
    status: str
    established: datetime.date | None
    causes: list
    members: list = field(default_factory=list)
    incomes: list = field(default_factory=list)  # (source, amount, note)
    housing: str = Household.Housing.OWN
    vehicles: int = 0
    luxury: str = ""
    savings: Decimal = Decimal("0")
    model_worker: bool = False
    evidence: bool = True
    notes: str = ""
    worker_username: str = ""
    status_date: datetime.date | None = None
    status_reason: str = ""
    worker_health: str = Member.Health.HEALTHY
    worker_grade: int | None = None
    worker_illness: str = ""
    worker_medical_costs: Decimal = Decimal("0")


class Generator:
    """Deterministic households: the same specs every run, so re-runs find them present."""

    def __init__(self):
        self.rng = random.Random(SEED)
        # Draws added later (the worker's health, farming spouses) use their own sequence, so
        # the households drawn from `rng` stay the ones earlier versions of the demo made.
        self.extra = random.Random(SEED + 1)
        self.sequences = {}

    def name(self, sex):
        pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2))))
        if self.rng.random() < 0.03:
            given = given[:1] + self.rng.choice(RARE)
        return self.rng.choice(SURNAMES) + given

    def birth(self, age_low, age_high):
        days = self.rng.randint(age_low * 365 + 10, age_high * 365 - 10)
        return TODAY - datetime.timedelta(days=days)

    def id_number(self, region, birth, sex):
        key = (region, birth)
        seq = self.sequences.get(key, self.rng.randint(5, 300))
        if (seq % 2 == 1) != (sex == "M"):
            seq += 1
        self.sequences[key] = seq + 2
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        return first17 + check_character(first17)

    def worker_illness(self, spec: HouseholdSpec) -> None:
        illness, health, costs = self.extra.choice(
            [
                ("高血压、糖尿病", Member.Health.CHRONIC, 300),
                ("冠心病", Member.Health.CHRONIC, 400),
                ("尘肺病", Member.Health.SERIOUS, 600),
                ("肺癌术后", Member.Health.SERIOUS, 1200),
                ("尿毒症（透析）", Member.Health.SERIOUS, 1500),
            ]
        )
        spec.worker_health, spec.worker_illness = health, illness
        spec.worker_medical_costs = Decimal(costs)

    def household(self, union_code) -> HouseholdSpec:
        rng = self.rng
        # Harbin Petrochemical: 126 of 165 men; 149 over 50, 10 aged 35–50, 6 under 35;
        # 104 retired, 20 contract-terminated, 41 active.
        sex = "M" if rng.random() < 126 / 165 else "F"
        band = rng.random()
        age = (
            rng.randint(51, 78)
            if band < 149 / 165
            else rng.randint(35, 50)
            if band < 159 / 165
            else rng.randint(26, 34)
        )
        if age >= 60:
            employment = Household.EmploymentStatus.RETIRED
        else:
            employment = rng.choices(
                [
                    Household.EmploymentStatus.ACTIVE,
                    Household.EmploymentStatus.TERMINATED,
                    Household.EmploymentStatus.LAID_OFF,
                    Household.EmploymentStatus.RETIRED,
                ],
                weights=[41, 20, 8, 25],
            )[0]
        # The banner federation after review: 4 低保户, 61 低保边缘户, 19 意外致困户 of 84.
        category = rng.choices(
            [Household.Category.DIBAO, Household.Category.NEAR_DIBAO, Household.Category.ACCIDENT],
            weights=[4, 61, 19],
        )[0]
        spec = HouseholdSpec(
            union=union_code,
            name=self.name(sex),
            sex=sex,
            birth=self.birth(age, age + 1),
            employment=employment,
            category=category,
            level=Household.Level.HARDSHIP,
            status=Household.Status.IN_FILE,
            established=TODAY - datetime.timedelta(days=rng.randint(60, 1300)),
            causes=[],
        )
        spouse_sex = "F" if sex == "M" else "M"
        if rng.random() < 0.8:
            spouse_health = rng.choices(
                [
                    Member.Health.HEALTHY,
                    Member.Health.CHRONIC,
                    Member.Health.SERIOUS,
                    Member.Health.DISABLED,
                ],
                weights=[40, 30, 20, 10],
            )[0]
            spec.members.append(
                MemberSpec(
                    self.name(spouse_sex),
                    Member.Relation.SPOUSE,
                    self.birth(max(age - 5, 22), age + 4),
                    spouse_sex,
                    health=spouse_health,
                    grade=rng.randint(1, 4) if spouse_health == Member.Health.DISABLED else None,
                    employment=rng.choice(
                        [
                            Member.Employment.UNEMPLOYED,
                            Member.Employment.RETIRED,
                            Member.Employment.EMPLOYED,
                        ]
                    ),
                    income=Decimal(rng.choice([0, 0, 0, 200, 400, 600])),
                )
            )
        else:
            spec.causes.append(Cause.SINGLE_PARENT)
        children = rng.choices([0, 1, 2], weights=[35, 50, 15])[0] if age < 60 else 0
        for _ in range(children):
            child_age = rng.randint(6, 22)
            child_sex = rng.choice("MF")
            stage = (
                Member.SchoolStage.PRIMARY
                if child_age < 12
                else Member.SchoolStage.MIDDLE
                if child_age < 15
                else Member.SchoolStage.HIGH
                if child_age < 18
                else Member.SchoolStage.UNIVERSITY
            )
            spec.members.append(
                MemberSpec(
                    self.name(child_sex),
                    Member.Relation.CHILD,
                    self.birth(child_age, child_age + 1),
                    child_sex,
                    employment=Member.Employment.STUDENT,
                    school=stage,
                )
            )
        # In the coal company many spouses farm a plot: their farm income counts.
        spouse = spec.members[0] if spec.members else None
        if (
            spouse is not None
            and union_code.startswith("MY")
            and spouse.employment == Member.Employment.UNEMPLOYED
            and self.extra.random() < 0.5
        ):
            spouse.employment = Member.Employment.FARMING
            spouse.income = Decimal(self.extra.choice([150, 200, 300]))
        # Causes: 87.9% from illness, education and few employed members.
        sick = [
            m for m in spec.members if m.health in (Member.Health.SERIOUS, Member.Health.CHRONIC)
        ]
        if sick or rng.random() < 0.55:
            spec.causes.append(Cause.ILLNESS)
            if not sick:  # then the one who is ill is the worker
                self.worker_illness(spec)
        if any(
            m.school in (Member.SchoolStage.HIGH, Member.SchoolStage.UNIVERSITY)
            for m in spec.members
        ):
            spec.causes.append(Cause.EDUCATION)
        if any(m.health == Member.Health.DISABLED for m in spec.members):
            spec.causes.append(Cause.DISABILITY)
        if employment in (
            Household.EmploymentStatus.TERMINATED,
            Household.EmploymentStatus.LAID_OFF,
        ):
            spec.causes.append(Cause.UNEMPLOYMENT)
        if category == Household.Category.ACCIDENT:
            spec.causes.append(rng.choice([Cause.ACCIDENT, Cause.DISASTER, Cause.ILLNESS]))
        if not spec.causes or rng.random() < 0.25:
            spec.causes.append(rng.choice([Cause.LOW_INCOME, Cause.SHUTDOWN, Cause.OTHER]))
        spec.causes = list(dict.fromkeys(spec.causes))
        # Income: the worker's own, shaped by the district's average wage of 1,617 and a low
        # of 186.74 yuan a month.
        # The coal company is half shut down: its people earn far less.
        scale = 0.7 if union_code.startswith("SH") else 0.45
        own = {
            Household.EmploymentStatus.ACTIVE: ("wages", rng.randint(900, 1617)),
            Household.EmploymentStatus.RETIRED: ("pension", rng.randint(600, 1400)),
            Household.EmploymentStatus.TERMINATED: ("other", rng.randint(0, 400)),
            Household.EmploymentStatus.LAID_OFF: ("unemployment", rng.randint(187, 600)),
        }[employment]
        if own[1]:
            spec.incomes.append((own[0], Decimal(round(own[1] * scale)), ""))
        if category == Household.Category.DIBAO:
            spec.incomes.append(("dibao", Decimal(rng.choice([570, 664])), "城市低保金"))
        people = 1 + len(spec.members)
        per_capita = sum([i[1] for i in spec.incomes] + [m.income for m in spec.members]) / people
        extreme_line = 570 if union_code.startswith("SH") else 245
        spec.level = (
            Household.Level.EXTREME if per_capita < extreme_line else Household.Level.HARDSHIP
        )
        spec.housing = rng.choices(
            [
                Household.Housing.OWN,
                Household.Housing.PUBLIC_RENTAL,
                Household.Housing.RENT,
                Household.Housing.WITH_PARENTS,
            ],
            weights=[55, 20, 15, 10],
        )[0]
        spec.savings = Decimal(rng.choice([0, 0, 0, 2000, 5000, 12000]))
        if rng.random() < 0.04:
            spec.vehicles = 1
        if rng.random() < 0.03:
            spec.luxury = rng.choice(["钢琴一架", "高档红木家具一套"])
        spec.model_worker = rng.random() < 0.04
        spec.evidence = rng.random() < 0.8
        # Most files are in file; some drafts wait for approval, some exited or cancelled.
        roll = rng.random()
        if roll < 0.05:
            spec.status, spec.established = Household.Status.DRAFT, None
        elif roll < 0.12:
            spec.status = Household.Status.EXITED
            spec.status_date = spec.established + datetime.timedelta(days=rng.randint(200, 500))
            spec.status_reason = "家庭收入提高，经年度复核脱困"
        elif roll < 0.16:
            spec.status = Household.Status.CANCELLED
            spec.status_date = spec.established + datetime.timedelta(days=rng.randint(100, 400))
            spec.status_reason = rng.choice(["年度复核不再符合困难标准", "隐瞒家庭收入，予以退档"])
        if spec.status_date and spec.status_date > TODAY:
            spec.status_date = TODAY
        return spec


def coal_miner() -> HouseholdSpec:
    """The application letter in DOMAIN.md: a 40-year-old miner with heart disease."""
    return HouseholdSpec(
        union="MY01",
        name="李建国",
        sex="M",
        birth=datetime.date(1986, 3, 14),
        employment=Household.EmploymentStatus.ACTIVE,
        category=Household.Category.ACCIDENT,
        level=Household.Level.EXTREME,
        status=Household.Status.IN_FILE,
        established=datetime.date(2026, 5, 20),
        causes=[Cause.ILLNESS, Cause.EDUCATION],
        members=[
            MemberSpec(
                "王秀兰",
                Member.Relation.SPOUSE,
                datetime.date(1988, 7, 2),
                "F",
                health=Member.Health.CHRONIC,
                employment=Member.Employment.UNEMPLOYED,
            ),
            MemberSpec(
                "李浩",
                Member.Relation.CHILD,
                datetime.date(2010, 9, 1),
                "M",
                employment=Member.Employment.STUDENT,
                school=Member.SchoolStage.HIGH,
            ),
            MemberSpec(
                "李玥",
                Member.Relation.CHILD,
                datetime.date(2013, 4, 18),
                "F",
                employment=Member.Employment.STUDENT,
                school=Member.SchoolStage.MIDDLE,
            ),
            MemberSpec(
                "李明",
                Member.Relation.CHILD,
                datetime.date(2016, 11, 5),
                "M",
                employment=Member.Employment.STUDENT,
                school=Member.SchoolStage.PRIMARY,
            ),
            MemberSpec(
                "李德福",
                Member.Relation.PARENT,
                datetime.date(1951, 2, 10),
                "M",
                health=Member.Health.CHRONIC,
                employment=Member.Employment.NONE,
            ),
            MemberSpec(
                "赵桂芝",
                Member.Relation.PARENT,
                datetime.date(1953, 12, 22),
                "F",
                health=Member.Health.CHRONIC,
                employment=Member.Employment.NONE,
            ),
        ],
        incomes=[("sick_pay", Decimal("800"), "心脏病病休期间病休工资")],
        housing=Household.Housing.OWN,
        worker_health=Member.Health.SERIOUS,
        worker_illness="心脏病（2026年手术，费用两万余元）",
        worker_medical_costs=Decimal("500"),
        notes="妻子患病无业；三个子女分别读高中、初中、小学；赡养两位七十岁以上老人。",
        worker_username="my01_worker",
    )


class Command(BaseCommand):
    help = (
        "Load demo data: a federation, two company unions, eight grassroots unions, one user "
        "per role per unit, policy (thresholds, caps, medical-aid tiers, evidence rules), about "
        "200 households shaped by the figures in DOMAIN.md (including the coal miner's "
        "household) and applications in every state of the chain. Idempotent: existing rows are "
        "left as they are; only missing ones are added."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data although DEBUG is off (it creates accounts with a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo data creates accounts with a "
                "published password; pass --allow-production to load it anyway (a training system)."
            )
        with transaction.atomic():
            units = self.seed_units()
            users = self.seed_users(units)
            self.seed_policy(units)
            created = self.seed_households(units, users)
            if created:
                self.seed_screening_cases(users)
            cases_demo.seed_policy(demo_pdf)
            funds_demo.seed_policy()
            applications = cases_demo.seed_applications(demo_pdf)
            ledger_rows = funds_demo.seed_money(demo_pdf)
        self.print_summary(users, created)
        if applications:
            self.stdout.write(
                f"{applications} demo applications added across every state of the chain."
            )
        if ledger_rows:
            self.stdout.write(
                f"{ledger_rows} ledger rows posted: receipts, three years of festival payments, "
                "relief, a reversal; and visits. Ended years closed."
            )

    def seed_units(self):
        units = {}
        for code, name, kind, parent, _regions in UNITS:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                unit = Unit(code=code, name=name, kind=kind, parent=units.get(parent))
                unit.save()
            units[code] = unit
        return units

    def seed_users(self, units):
        rows = list(USERS)
        for code, caseworker, chair in GRASSROOTS_STAFF:
            rows.append((f"{code.lower()}_caseworker", caseworker, Role.CASEWORKER, code))
            rows.append((f"{code.lower()}_chair", chair, Role.GRASSROOTS_CHAIR, code))
        rows.append(("sh01_worker", "", Role.WORKER, "SH01"))
        rows.append(("my01_worker", "李建国", Role.WORKER, "MY01"))
        users = {}
        for username, full_name, role, unit_code in rows:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, full_name=full_name)
                user.set_password(DEMO_PASSWORD)
                if role == Role.ADMINISTRATOR:
                    user.is_staff = user.is_superuser = True
                user.save()
            Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role)
            users[username] = (user, role, units[unit_code])
        return users

    def seed_policy(self, units):
        rows = [
            (
                PolicyParameter.Key.HARDSHIP_THRESHOLD,
                "280",
                None,
                "2020-01-01",
                "某区困难职工认定标准：家庭人均月收入低于280元",
            ),
            (
                PolicyParameter.Key.EXTREME_THRESHOLD,
                "245",
                None,
                "2020-01-01",
                "某区特困职工认定标准：家庭人均月收入低于245元",
            ),
            (
                PolicyParameter.Key.HARDSHIP_THRESHOLD,
                "664",
                "SH",
                "2025-01-01",
                "参照石化公司所在地城市低保标准664元（示例）",
            ),
            (
                PolicyParameter.Key.EXTREME_THRESHOLD,
                "570",
                "SH",
                "2025-01-01",
                "参照当地另一档低保标准570元（示例）",
            ),
            (
                PolicyParameter.Key.EMPLOYED_MEMBERS_FLAG,
                "2",
                None,
                "2020-01-01",
                "就业人数较多的家庭需重点核查",
            ),
        ]
        for key, value, unit_code, start, note in rows:
            PolicyParameter.objects.get_or_create(
                key=key,
                unit=units.get(unit_code),
                valid_from=datetime.date.fromisoformat(start),
                defaults={"value": Decimal(value), "note": note},
            )

    def specs(self):
        generator = Generator()
        grassroots = [code for code, *_ in GRASSROOTS_STAFF]
        specs = [coal_miner()]
        # 160 households in the petrochemical company (mostly older, retired workers) and
        # 40 in the coal company.
        for index in range(199):
            union = grassroots[index % 4] if index < 160 else grassroots[4 + index % 4]
            specs.append(generator.household(union))
        specs[1].worker_username = "sh01_worker"
        specs[1].status = Household.Status.IN_FILE
        specs[1].established = specs[1].established or datetime.date(2025, 3, 1)
        specs[1].status_date, specs[1].status_reason = None, ""
        # The worker applies for medical aid after an operation this year (cases.demo).
        specs[1].worker_health = Member.Health.SERIOUS
        specs[1].worker_illness = "腰椎间盘突出（2026年住院手术）"
        specs[1].worker_medical_costs = Decimal("200")
        if Cause.ILLNESS not in specs[1].causes:
            specs[1].causes.insert(0, Cause.ILLNESS)
        return generator, specs

    def seed_households(self, units, users):
        generator, specs = self.specs()
        regions = {code: r for code, _n, _k, _p, r in UNITS}
        created = 0
        counters = {}
        for spec in specs:
            year = (spec.established or TODAY).year
            counters[spec.union, year] = counters.get((spec.union, year), 0) + 1
            file_number = f"{spec.union}-{year}-{counters[spec.union, year]:04d}"
            region = generator.rng.choice(regions[spec.union])
            id_number = generator.id_number(region, spec.birth, spec.sex)
            member_ids = [
                generator.id_number(region, m.birth, m.sex) if m.with_id else ""
                for m in spec.members
            ]
            if Household.objects.filter(file_number=file_number).exists():
                continue
            caseworker = users[f"{spec.union.lower()}_caseworker"][0]
            self.create_household(
                spec, units[spec.union], caseworker, users, file_number, id_number, member_ids
            )
            created += 1
        return created

    def create_household(self, spec, union, caseworker, users, file_number, id_number, member_ids):
        def saved(obj):
            obj._history_user = caseworker
            obj.save()
            return obj

        worker_account = users[spec.worker_username][0] if spec.worker_username else None
        if worker_account and not worker_account.id_number:
            worker_account.full_name = worker_account.full_name or spec.name
            worker_account.id_number = id_number
            worker_account.save(update_fields=["full_name", "id_number"])
        household = saved(
            Household(
                file_number=file_number,
                union=union,
                worker_name=spec.name,
                gender=spec.sex,
                id_number=id_number,
                phone=f"13{(int(id_number[10:17]) * 7919) % 10**9:09d}",
                bank_account=f"6217{int(id_number[6:17]) * 31 % 10**15:015d}",
                address=f"{union.name}家属区{int(id_number[14:17]) % 30 + 1}栋{int(id_number[12:14]) + 100}室",
                employer=union.name.removesuffix("工会"),
                employment_status=spec.employment,
                is_model_worker=spec.model_worker,
                worker_health=spec.worker_health,
                worker_disability_grade=spec.worker_grade,
                worker_illness=spec.worker_illness,
                worker_medical_costs=spec.worker_medical_costs,
                main_cause=main_cause_by_default(spec.causes),
                worker_account=worker_account,
                category=spec.category,
                level=spec.level,
                status=spec.status,
                established_on=spec.established,
                review_due_on=demo_review_due(spec.established, id_number)
                if spec.status == Household.Status.IN_FILE
                else None,
                exited_on=spec.status_date if spec.status == Household.Status.EXITED else None,
                cancelled_on=spec.status_date
                if spec.status == Household.Status.CANCELLED
                else None,
                status_reason=spec.status_reason,
                responsible_person=str(caseworker),
                contact_person=spec.members[0].name if spec.members else "",
                housing=spec.housing,
                vehicles=spec.vehicles,
                luxury_goods=spec.luxury,
                savings=spec.savings,
                notes=spec.notes,
                created_by=caseworker,
            )
        )
        for member, member_id in zip(spec.members, member_ids, strict=True):
            saved(
                Member(
                    household=household,
                    name=member.name,
                    relation=member.relation,
                    birth_date=member.birth,
                    id_number=member_id,
                    health=member.health,
                    disability_grade=member.grade,
                    employment=member.employment,
                    school_stage=member.school,
                    monthly_income=member.income,
                )
            )
        for source, amount, note in spec.incomes:
            saved(IncomeItem(household=household, source=source, monthly_amount=amount, note=note))
        for cause in [value for value in Cause.values if value in spec.causes]:  # the form's order
            saved(HardshipCause(household=household, cause=cause))
            measure, detail = CAUSE_MEASURE[cause]
            saved(AidMeasure(household=household, cause=cause, measure=measure, detail=detail))
        if spec.evidence and spec.causes and spec.causes[0] in CAUSE_EVIDENCE:
            cause = spec.causes[0]
            evidence = Evidence(
                household=household,
                cause=cause,
                kind=CAUSE_EVIDENCE[cause],
                original_name=f"{Evidence.Kind(CAUSE_EVIDENCE[cause]).label}-{spec.name}.pdf",
                content_type=Evidence.ContentType.PDF,
                uploaded_by=caseworker,
            )
            content = demo_pdf(f"Demo evidence {file_number} ({cause})")
            evidence.size = len(content)
            evidence.file.save("demo.pdf", ContentFile(content), save=False)
            saved(evidence)

    def seed_screening_cases(self, users):
        """Files the integrity checks should catch: a daughter listed in her parents' file and
        again in her husband's, and a 因学 file whose child has left school."""
        in_file = Household.objects.filter(
            status=Household.Status.IN_FILE, union__code="SH02"
        ).order_by("pk")
        parents, married = in_file[0], in_file[1]
        caseworker = users["sh02_caseworker"][0]
        daughter = Member.objects.filter(household=married).exclude(id_number="").first()
        if daughter is not None:
            copy = Member(
                household=parents,
                name=daughter.name,
                relation=Member.Relation.CHILD,
                birth_date=daughter.birth_date,
                id_number=daughter.id_number,
                employment=daughter.employment,
            )
            copy._history_user = caseworker
            copy.save()
        graduated = (
            Household.objects.filter(
                status=Household.Status.IN_FILE, causes__cause="education", union__code="SH03"
            )
            .order_by("pk")
            .first()
        )
        if graduated is not None:
            for member in graduated.members.exclude(school_stage=Member.SchoolStage.NONE):
                member.school_stage = Member.SchoolStage.NONE
                member.employment = Member.Employment.EMPLOYED
                member.monthly_income = Decimal("2200")
                member._history_user = users["sh03_caseworker"][0]
                member.save()

    def print_summary(self, users, created):
        total = Household.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created} households added, {total} in the database."
            )
        )
        self.stdout.write(f"\nDemo logins (password for every account: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'username':<18} {'name':<8} role · unit")
        for username, (user, role, unit) in users.items():
            self.stdout.write(
                f"{username:<18} {user.full_name:<8} {Role(role).label} · {unit.name}"
            )
