"""Demo employment help: a register of employers and a training school at the petrochemical
company (SH), vacancies, a course with completed enrolments and certificates, referrals with
every result, and placements: confirmed ones (one closing the household's 就业帮扶 measure,
one that lifts its household over the threshold, so it shows among the exit candidates) and
one waiting for the caseworker. Driven through the real services. Called by `seed_demo`."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from employment import selectors, services
from employment.models import Enrolment, Partner, Placement, Referral
from funds.models import Fund
from hardship.demo import demo_pdf
from hardship.models import Unit, User
from households.models import AidMeasure
from households.plans import open_measures

EMPLOYERS = [
    ("哈尔滨家政服务有限公司", "刘经理", "0451-86001234", "哈尔滨市南岗区"),
    ("龙江物流配送中心", "孙主管", "0451-86005678", "哈尔滨市香坊区"),
    ("石化物业服务公司", "赵经理", "0451-86009012", "哈尔滨市南岗区"),
]
PROVIDER = ("南岗区职业技能培训学校", "钱校长", "0451-86003456", "哈尔滨市南岗区")
# (employer index, position, trade, ages, location, wage, openings)
VACANCIES = [
    # Locations are matched against household addresses: the company's housing estates.
    (0, "家政服务员", "housekeeping", (18, 55), "家属区", "3200", 3),
    (1, "分拣员", "logistics", (18, 45), "香坊区", "3600", 2),
    (2, "保洁员", "cleaning", (18, 59), "家属区", "2600", 2),
]
# How each referral ends: (result, wage, confirmed)
OUTCOMES = [
    (Referral.Result.HIRED, "3200", True),  # lifts the household over the threshold
    (Referral.Result.REFUSED, None, False),
    (Referral.Result.NO_ANSWER, None, False),
    (Referral.Result.HIRED, "2600", False),  # waits for the caseworker's confirmation
    (Referral.Result.HIRED, "3600", True),
    (Referral.Result.PENDING, None, False),
]


def seed_employment(pdf) -> int:
    """Returns the number of referrals made (0 when the demo register is already there)."""
    if Partner.objects.exists():
        return 0
    company = Unit.objects.get(code="SH")
    reviewer = User.objects.get(username="sh_reviewer")
    today = timezone.localdate()
    employers = [
        services.partner_create(
            actor=reviewer,
            unit=company,
            kind=Partner.Kind.EMPLOYER,
            name=name,
            contact_person=person,
            phone=phone,
            address=address,
        )
        for name, person, phone, address in EMPLOYERS
    ]
    name, person, phone, address = PROVIDER
    school = services.partner_create(
        actor=reviewer,
        unit=company,
        kind=Partner.Kind.PROVIDER,
        name=name,
        contact_person=person,
        phone=phone,
        address=address,
    )
    vacancies = [
        services.vacancy_create(
            actor=reviewer,
            employer=employers[i],
            position=position,
            trade=trade,
            age_min=ages[0],
            age_max=ages[1],
            location=location,
            monthly_wage=Decimal(wage),
            openings=openings,
        )
        for i, position, trade, ages, location, wage, openings in VACANCIES
    ]
    fund = Fund.objects.filter(unit=company, year=today.year).order_by("pk").first()
    course = services.course_create(
        actor=reviewer,
        provider=school,
        name="家政服务员（育婴员）培训班",
        trade="housekeeping",
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today,
        cost=Decimal("12000") if fund else Decimal("0"),
        fund=fund,
    )
    services.course_create(
        actor=reviewer,
        provider=school,
        name="物流分拣与叉车操作培训班",
        trade="logistics",
        starts_on=today + datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=44),
        cost=Decimal("0"),
    )
    # Young enough for every vacancy (the youngest band ends at 45).
    members = [
        m for m in selectors.match_members(reviewer) if selectors.age_on(m.birth_date, today) < 45
    ][: len(OUTCOMES)]
    for n, member in enumerate(members):
        caseworker = User.objects.get(username=f"{member.household.union.code.lower()}_caseworker")
        # The training or referral carries out the household's open employment measure.
        measure = (
            open_measures(member.household).filter(measure=AidMeasure.Measure.EMPLOYMENT).first()
        )
        if n < 3:
            enrolment = services.enrolment_create(
                actor=caseworker, member=member, course=course, measure=measure
            )
            services.enrolment_result(
                actor=caseworker,
                enrolment=enrolment,
                result=Enrolment.Result.COMPLETED,
                certificate_number=f"JZ{today:%Y}{n + 1:04d}",
                upload=SimpleUploadedFile("结业证书.pdf", pdf("Certificate")),
                content_type="application/pdf",
            )
        result, wage, confirmed = OUTCOMES[n]
        vacancy = vacancies[n % len(vacancies)] if wage else None
        referral = services.referral_create(
            actor=caseworker,
            member=member,
            employer=vacancy.employer if vacancy else employers[n % len(employers)],
            vacancy=vacancy,
            position=vacancy.position if vacancy else "保安员",
            wage_offered=Decimal(wage or "2800"),
            referred_on=today - datetime.timedelta(days=20),
            measure=measure,
        )
        if result == Referral.Result.PENDING:
            continue
        services.referral_result(
            actor=caseworker,
            referral=referral,
            result=result,
            result_on=today - datetime.timedelta(days=10),
            start_on=today - datetime.timedelta(days=7) if wage else None,
            monthly_wage=Decimal(wage) if wage else None,
        )
        if confirmed:
            measure = AidMeasure.objects.filter(
                household=member.household,
                measure=AidMeasure.Measure.EMPLOYMENT,
                completed_on__isnull=True,
            ).first()
            services.placement_confirm(
                actor=caseworker,
                placement=Placement.objects.get(referral=referral),
                measure=measure,
            )
    return len(members)


def seed(run) -> None:
    """Employment help's demo step (hardship.demo.DemoRun)."""
    referrals = seed_employment(demo_pdf)
    if referrals:
        run.report.append(
            f"Employment help: a register, courses and {referrals} referrals with placements."
        )
