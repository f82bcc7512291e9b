"""The demo registry: writes the household specs of households.demo_specs as files with
members, income, causes, measures and evidence, and adds the cases the integrity checks
should catch. Called by `seed_demo`; only missing files are added."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from hardship.demo import UNITS, demo_pdf
from hardship.history import acted_by
from households.demo_specs import TODAY, household_specs
from households.models import (
    AidMeasure,
    Cause,
    Evidence,
    HardshipCause,
    Household,
    IncomeItem,
    Member,
    Tag,
    main_cause_by_default,
)
from households.reviews import add_months

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


def demo_exit_target(spec, id_number) -> datetime.date | None:
    """Most files in file have an exit date (脱困时间表), about one in six already passed."""
    k = int(id_number[14:17])
    if spec.status != Household.Status.IN_FILE or k % 8 == 0:
        return None
    if k % 6 == 0:
        return TODAY - datetime.timedelta(days=45)
    return TODAY + datetime.timedelta(days=120 * (k % 5 + 1))


# A measure's state by a number of the file: planned, under way (one overdue), done and
# failed with their outcome.
PROGRESS = [
    (AidMeasure.Status.PLANNED, 90, None, ""),
    (AidMeasure.Status.UNDER_WAY, 60, None, ""),
    (AidMeasure.Status.UNDER_WAY, -30, None, ""),
    (AidMeasure.Status.DONE, -20, -40, "已落实，救助款已发放到户"),
    (AidMeasure.Status.FAILED, -10, -15, "本人因病未能参加，改为生活救助"),
    (AidMeasure.Status.PLANNED, 180, None, ""),
]


def demo_progress(household, k) -> dict:
    """Target date, status and outcome of a demo measure: an exited file's measures are
    done, a draft's planned, a file in file's spread over every state."""
    if household.status == Household.Status.EXITED:
        status, target, closed, note = PROGRESS[3]
    elif household.status == Household.Status.IN_FILE:
        status, target, closed, note = PROGRESS[k % len(PROGRESS)]
    else:
        status, target, closed, note = PROGRESS[0]
    return {
        "status": status,
        "target_on": TODAY + datetime.timedelta(days=target),
        "completed_on": TODAY + datetime.timedelta(days=closed) if closed else None,
        "completion_note": note,
    }


def seed_households(units, users):
    generator, specs = household_specs()
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
            generator.id_number(region, m.birth, m.sex) if m.with_id else "" for m in spec.members
        ]
        if Household.objects.filter(file_number=file_number).exists():
            continue
        caseworker = users[f"{spec.union.lower()}_caseworker"][0]
        create_household(
            spec, units[spec.union], caseworker, users, file_number, id_number, member_ids
        )
        created += 1
    return created


def model_worker_title(id_number) -> str:
    """Mostly city-level titles, some provincial, a few national (from the number: stable)."""
    digit = int(id_number[15])
    if digit == 0:
        return Household.ModelWorkerTitle.NATIONAL
    return Household.ModelWorkerTitle.PROVINCIAL if digit < 4 else Household.ModelWorkerTitle.CITY


# Tags an administrator would define, and roughly how many files carry each (every n-th).
DEMO_TAGS = [
    ("农民工", "农民工会员", 9),
    ("单亲家庭", "单亲家庭", 11),
    ("退役军人", "退役军人职工", 13),
    ("五类人群", "劳模、农民工、困难职工、单亲家庭、残疾职工等重点帮扶人群", 7),
]


def seed_tags():
    """The demo's tags, each on a share of the files (chosen by their number: stable)."""
    households = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    links = []
    for name, description, every in DEMO_TAGS:
        tag, _created = Tag.objects.get_or_create(name=name, defaults={"description": description})
        links += [
            Household.tags.through(household_id=pk, tag_id=tag.pk)
            for index, pk in enumerate(households)
            if index % every == every - 1
        ]
    Household.tags.through.objects.bulk_create(links, ignore_conflicts=True)


def responsible_for(spec, users, caseworker, id_number):
    """The union's caseworker looks after most files, its chair after about one in five."""
    if int(id_number[14:17]) % 5 == 0:
        return users[f"{spec.union.lower()}_chair"][0]
    return caseworker


def create_household(spec, union, caseworker, users, file_number, id_number, member_ids):
    def saved(obj):
        acted_by(caseworker, obj)
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
            model_worker_title=model_worker_title(id_number) if spec.model_worker else "",
            model_worker_year=1995 + int(id_number[12:14]) % 28 if spec.model_worker else None,
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
            cancelled_on=spec.status_date if spec.status == Household.Status.CANCELLED else None,
            status_reason=spec.status_reason,
            responsible_user=responsible_for(spec, users, caseworker, id_number),
            exit_target_on=demo_exit_target(spec, id_number),
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
    causes = [value for value in Cause.values if value in spec.causes]  # the form's order
    for i, cause in enumerate(causes):
        saved(HardshipCause(household=household, cause=cause))
        if i and int(id_number[14:17]) % 9 == 0:
            continue  # a second cause not planned for yet: the plan's problems show it
        measure, detail = CAUSE_MEASURE[cause]
        saved(
            AidMeasure(
                household=household,
                cause=cause,
                measure=measure,
                detail=detail,
                owner=caseworker,
                **demo_progress(household, int(id_number[14:17]) + i),
            )
        )
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


def seed_screening_cases(users):
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
        acted_by(caseworker, copy)
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
            acted_by(users["sh03_caseworker"][0], member)
            member.save()


# Names an old roster gave as 帮扶责任人 that no user has: left for a person to match
# (the "未匹配的帮扶责任人" page).
UNMATCHED_NAMES = ("老刘", "王师傅", "李大姐", "老刘")


def seed_unmatched_responsible(users):
    households = Household.objects.filter(
        status=Household.Status.IN_FILE, union__code="SH01"
    ).order_by("-pk")[: len(UNMATCHED_NAMES)]
    for household, name in zip(households, UNMATCHED_NAMES, strict=False):
        household.responsible_user = None
        household.responsible_person = name
        acted_by(users["sh01_caseworker"][0], household, reason="台账导入")
        household.save(update_fields=["responsible_user", "responsible_person"])


# Days from today to the valid-until date of the first certificates of some unions: one
# expired, a few within the 30-day warning; every other certificate is good for a year or more.
SOON = {"SH01": (-12, 6), "SH02": (15,), "SH03": (27,), "MY02": (9,)}


def seed_valid_until():
    """Certificates valid until a date (the "即将到期的证明材料" page and the badges)."""
    today = timezone.localdate()
    certificates = Evidence.objects.filter(
        kind__in=(Evidence.Kind.DISABILITY_CERT, Evidence.Kind.DIAGNOSIS),
        household__status=Household.Status.IN_FILE,
    ).order_by("household__union__code", "-kind", "pk")  # a 残疾证 first where there is one
    seen = {}
    for evidence in certificates.select_related("household__union"):
        code = evidence.household.union.code
        index = seen[code] = seen.get(code, -1) + 1
        soon = SOON.get(code, ())
        days = soon[index] if index < len(soon) else 365 + (evidence.pk * 37) % 730
        Evidence.objects.filter(pk=evidence.pk).update(
            valid_until=today + datetime.timedelta(days=days)
        )


def seed(run) -> None:
    """The registry's demo step (hardship.demo.DemoRun): about 200 files and the screening
    cases."""
    created = seed_households(run.units, run.users)
    if created:
        seed_screening_cases(run.users)
        seed_unmatched_responsible(run.users)
        seed_valid_until()
        seed_tags()
    total = Household.objects.count()
    run.report.append(f"Demo households: {created} added, {total} in the database.")
