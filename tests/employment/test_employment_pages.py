"""The employment pages through real requests: scope, the auditor, bad input, the figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from employkit import employment_world, hire, make_vacancy, refer, register
from factories import HouseholdFactory, MemberFactory

from employment import selectors, services
from employment.figures import employment_figures
from employment.models import Enrolment, Partner, Placement, Referral
from households.models import Household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def records(caseworker_g1a, org, household_g1a):
    return employment_world(caseworker_g1a, org.g1a, household_g1a.members.get())


def test_another_unions_records_are_not_found(client, caseworker_g2a, records, household_g1a):
    client.force_login(caseworker_g2a)
    for url in [
        reverse("employment_household", args=[household_g1a.pk]),
        reverse("course_detail", args=[records.course.pk]),
        reverse("referral_create", args=[household_g1a.members.get().pk]),
        reverse("enrolment_result", args=[records.enrolment.pk]),
        reverse("certificate_download", args=[records.enrolment.pk]),
        reverse("referral_result", args=[records.referral.pk]),
        reverse("placement_confirm", args=[records.placement.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("employment_index")).content.decode()
    assert records.employer.name not in page
    assert household_g1a.file_number not in client.get(reverse("employment_match")).content.decode()


def test_the_auditor_reads_but_is_refused_every_write(client, auditor_fed, records, household_g1a):
    client.force_login(auditor_fed)
    assert client.get(reverse("employment_household", args=[household_g1a.pk])).status_code == 200
    member = household_g1a.members.get()
    writes = [
        (reverse("referral_result", args=[records.referral.pk]), {"result": "refused"}),
        (reverse("placement_confirm", args=[records.placement.pk]), {}),
        (reverse("referral_create", args=[member.pk]), {"employer": records.employer.pk}),
        (reverse("enrolment_create", args=[member.pk]), {"course": records.course.pk}),
        (reverse("partner_create"), {"name": "某厂"}),
    ]
    for url, body in writes:
        assert client.post(url, body).status_code == 403, url
    records.placement.refresh_from_db()
    records.referral.refresh_from_db()
    assert records.placement.confirmed_at is None
    assert records.referral.result == Referral.Result.PENDING


def test_a_referral_ending_in_a_placement_confirmed_on_the_file(
    client, caseworker_g1a, records, household_g1a
):
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("referral_result", args=[records.referral.pk]),
        {
            "result": "hired",
            "result_on": TODAY.isoformat(),
            "start_on": TODAY.isoformat(),
            "monthly_wage": "２８００",  # full-width digits, as an input method types them
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(referral=records.referral)
    assert placement.monthly_wage == Decimal("2800.00")
    response = client.post(reverse("placement_confirm", args=[placement.pk]))
    assert response.status_code == 302 and response["Location"] == household_g1a.get_absolute_url()
    member = household_g1a.members.get()
    assert (member.employment, member.monthly_income) == ("employed", Decimal("2800.00"))


def test_bad_input_is_told_in_chinese_and_nothing_is_saved(client, caseworker_g1a, records):
    client.force_login(caseworker_g1a)
    url = reverse("referral_result", args=[records.referral.pk])
    response = client.post(url, {"result": "hired", "result_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "已录用须填写上岗日期" in response.content.decode()
    records.referral.refresh_from_db()
    assert records.referral.result == Referral.Result.PENDING


def test_a_certificate_is_checked_by_its_content(client, caseworker_g1a, records):
    client.force_login(caseworker_g1a)
    enrolment = services.enrolment_create(
        actor=caseworker_g1a,
        member=records.enrolment.member,
        course=type(records.course).objects.create(
            provider=records.provider,
            name="第二期",
            trade="cleaning",
            starts_on=TODAY,
            ends_on=TODAY,
        ),
    )
    fake = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("enrolment_result", args=[enrolment.pk]),
        {"result": "completed", "certificate": fake},
    )
    assert response.status_code == 200
    assert "只接受 PDF、JPEG 或 PNG 文件" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.result == Enrolment.Result.ENROLLED and not enrolment.certificate
    download = client.get(reverse("certificate_download", args=[records.enrolment.pk]))
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_match_page_lists_members_by_vacancy_age_and_place(
    client, caseworker_g1a, org, records
):
    young = HouseholdFactory(in_file=True, union=org.g1a, address="哈尔滨市南岗区学府路")
    far = HouseholdFactory(in_file=True, union=org.g1a, address="哈尔滨市道里区")
    fits = MemberFactory(household=young, employment="unemployed", name="合适的人")
    MemberFactory(household=far, employment="unemployed", name="住得远的人")
    MemberFactory(
        household=young,
        employment="unemployed",
        name="年纪大的人",
        id_number="",
        birth_date=TODAY.replace(year=TODAY.year - 58),
    )
    client.force_login(caseworker_g1a)
    page = client.get(reverse("employment_match"), {"vacancy": records.vacancy.pk})
    names = {m.name for m in page.context["page"]}
    assert fits.name in names
    assert "住得远的人" not in names and "年纪大的人" not in names
    trained = client.get(reverse("employment_match"), {"trade": "housekeeping"}).context["page"]
    assert {m.name for m in trained} == {records.enrolment.member.name}


def test_the_figures_count_the_year(caseworker_g1a, org, records, household_g1a):
    services.placement_confirm(actor=caseworker_g1a, placement=records.placement)
    other = HouseholdFactory(in_file=True, union=org.g1a)
    son = MemberFactory(household=other, employment="unemployed")
    hire(caseworker_g1a, refer(caseworker_g1a, son, records.employer), wage="3000")
    services.placement_confirm(
        actor=caseworker_g1a, placement=Placement.objects.get(referral__member=son)
    )
    # The household exits after the placement (the chain would call household_end).
    Household.objects.filter(pk=other.pk).update(status="exited", exited_on=TODAY)
    figures = employment_figures(Household.objects.filter(union=org.g1a), TODAY.year)
    assert figures.trained == 1
    assert figures.referred == 2  # the spouse (twice) and the son
    assert figures.placed == 2
    assert figures.placement_rate == Decimal("100.0")
    assert figures.average_wage == Decimal("2800.00")  # (2,600 + 3,000) / 2
    assert figures.exited_after_placement == 1
    assert employment_figures(Household.objects.filter(union=org.g2a), TODAY.year).placed == 0
    assert employment_figures(Household.objects.all(), TODAY.year - 1).placed == 0
    # Out of scope, or an exit before the job started, is no exit after placement.
    other_union = employment_figures(Household.objects.filter(union=org.g2a), TODAY.year)
    assert other_union.exited_after_placement == 0
    start = Placement.objects.get(referral__member=son).start_on
    Household.objects.filter(pk=other.pk).update(exited_on=start - datetime.timedelta(days=1))
    before_the_job = employment_figures(Household.objects.filter(union=org.g1a), start.year)
    assert before_the_job.exited_after_placement == 0


def test_the_figures_reach_the_statistics_and_the_annual_report(
    client, caseworker_g1a, auditor_fed, records
):
    services.placement_confirm(actor=caseworker_g1a, placement=records.placement)
    client.force_login(auditor_fed)
    stats = client.get(reverse("statistics"), {"year": TODAY.year})
    assert ("安置就业人数", "1") in stats.context["employment"]
    assert ("安置平均月工资（元）", "2,600.00") in stats.context["employment"]
    indicators = {str(label): value for label, value in stats.context["indicators"]}
    placement_rate = dict(stats.context["employment"])["安置率"]
    assert indicators["就业安置率"] == placement_rate != "—"
    annual = client.get(reverse("annual_report"), {"year": TODAY.year}).content.decode()
    assert 'id="annual-employment"' in annual and "安置率" in annual


def test_the_register_is_shared_down_the_tree(client, reviewer_c1, caseworker_g1a, org):
    employer, _ = register(reviewer_c1, org.c1, employer_name="公司级用工单位")
    vacancy = make_vacancy(reviewer_c1, employer)
    client.force_login(caseworker_g1a)
    page = client.get(reverse("employment_index")).content.decode()
    assert "公司级用工单位" in page and vacancy.position in page
    assert Partner.objects.filter(unit=org.c1).count() == 2


def test_the_unfiltered_match_list_counts_what_it_lists(
    client, caseworker_g1a, reviewer_c1, org, records
):
    """The unfiltered count is read off the composition kept per union: it is the number of
    members listed, and follows a member who finds work and a file that exits."""
    homes = [HouseholdFactory(in_file=True, union=union) for union in (org.g1a, org.g1b)]
    for home in homes:
        MemberFactory(household=home, employment="unemployed")
    MemberFactory(household=homes[0], employment="employed")
    HouseholdFactory(in_file=True, union=org.g2a).members.update(employment="unemployed")

    def listed(user):
        client.force_login(user)
        page = client.get(reverse("employment_match"), {"page": 1})
        everyone = selectors.match_members(user)
        assert page.context["page"].paginator.count == everyone.count()
        return page.context["page"].paginator.count

    before = listed(reviewer_c1)
    assert before >= 2 and listed(caseworker_g1a) < before
    homes[1].members.filter(employment="unemployed").update(employment="employed")
    Household.objects.filter(pk=homes[0].pk).update(status="exited", exited_on=TODAY)
    assert listed(reviewer_c1) == before - 2
