"""Employment records for tests, made through the real services (tests/employment, the
authorisation matrix's world, the markup and accessibility walks)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from formdata import PDF_BYTES

from employment import services
from employment.models import Course, Enrolment, Partner, Placement, Referral, Vacancy


def certificate_upload(name="结业证书.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@dataclass
class Employment:
    employer: Partner
    provider: Partner
    vacancy: Vacancy
    course: Course
    enrolment: Enrolment
    referral: Referral  # pending
    hired: Referral
    placement: Placement  # recorded, not yet confirmed


def register(actor, unit, *, employer_name="哈尔滨家政服务公司", provider_name="南岗职业培训学校"):
    employer = services.partner_create(
        actor=actor, unit=unit, kind=Partner.Kind.EMPLOYER, name=employer_name
    )
    provider = services.partner_create(
        actor=actor, unit=unit, kind=Partner.Kind.PROVIDER, name=provider_name
    )
    return employer, provider


def make_vacancy(actor, employer, **kwargs) -> Vacancy:
    values = {
        "position": "家政服务员",
        "trade": "housekeeping",
        "age_min": 18,
        "age_max": 55,
        "location": "南岗区",
        "monthly_wage": Decimal("2600.00"),
        "openings": 2,
    }
    values.update(kwargs)
    return services.vacancy_create(actor=actor, employer=employer, **values)


def make_course(actor, provider, **kwargs) -> Course:
    today = timezone.localdate()
    values = {
        "name": "家政服务员培训班",
        "trade": "housekeeping",
        "starts_on": today - datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=20),
        "cost": Decimal("0"),
        "fund": None,
    }
    values.update(kwargs)
    return services.course_create(actor=actor, provider=provider, **values)


def refer(actor, member, employer, *, vacancy=None, wage="2600.00", days_ago=5) -> Referral:
    return services.referral_create(
        actor=actor,
        member=member,
        employer=employer,
        vacancy=vacancy,
        position=vacancy.position if vacancy else "保洁员",
        wage_offered=Decimal(wage),
        referred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def hire(actor, referral, *, wage="2600.00") -> Placement:
    today = timezone.localdate()
    services.referral_result(
        actor=actor,
        referral=referral,
        result=Referral.Result.HIRED,
        result_on=today,
        start_on=today,
        monthly_wage=Decimal(wage),
    )
    return Placement.objects.get(referral=referral)


def employment_world(actor, unit, member) -> Employment:
    """One of each record around `member` (of a household in file in `unit`)."""
    employer, provider = register(actor, unit)
    vacancy = make_vacancy(actor, employer)
    course = make_course(actor, provider)
    enrolment = services.enrolment_create(actor=actor, member=member, course=course)
    enrolment = services.enrolment_result(
        actor=actor,
        enrolment=enrolment,
        result=Enrolment.Result.COMPLETED,
        certificate_number="JZ-2026-001",
        upload=certificate_upload(),
        content_type="application/pdf",
    )
    referral = refer(actor, member, employer)
    hired = refer(actor, member, employer, vacancy=vacancy)
    placement = hire(actor, hired)
    return Employment(employer, provider, vacancy, course, enrolment, referral, hired, placement)
