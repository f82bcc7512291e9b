"""The demo households as data: about 200 specs drawn with a fixed seed, shaped by the figures
in DOMAIN.md, and the coal miner of its application letter. households.demo writes them."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from hardship.demo import GRASSROOTS_STAFF
from hardship.idnumber import check_character
from households.models import Cause, Household, Member

SEED = 2026
TODAY = datetime.date(2026, 11, 1)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
RARE = "堃喆赟镕玥"  # kept in the data so later PDF tests meet them


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


def household_specs():
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
