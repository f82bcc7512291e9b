"""Sensitive personal information: masked on every page and export by default, shown in
full only to roles that need it through a logged "show" action; every export logged and
every PDF stamped with who exported it and when."""

import pytest
from auditkit import XLSX, body, pdf_text, roster_by_file, squeezed
from django.urls import reverse
from django.utils import timezone
from factories import HardshipCauseFactory, MemberFactory
from formdata import household_edit_data

from hardship.idnumber import mask_account, mask_id_number, mask_phone
from hardship.models import ExportLog
from households.models import Household, RevealLog

ACCOUNT = "6222021234567890123"
NEW_ACCOUNT = "6217000012345678999"
CONTACT = "13512345678"
IDENTITY_READERS = ["caseworker_g1a", "chair_g1a", "reviewer_c1", "worker_g1a"]
NOT_IDENTITY = ["committee_c1", "finance_c1", "auditor_fed"]
EVERY_ROLE = IDENTITY_READERS + NOT_IDENTITY
EXPORTERS = [
    "caseworker_g1a",
    "chair_g1a",
    "reviewer_c1",
    "committee_c1",
    "finance_c1",
    "auditor_fed",
]


@pytest.fixture
def file_g1a(worker_household):
    """The worker's own file in G1a, with a bank card, a contact phone and a member in
    serious illness: something sensitive in every field."""
    Household.objects.filter(pk=worker_household.pk).update(
        bank_account=ACCOUNT, contact_phone=CONTACT
    )
    MemberFactory(
        household=worker_household, relation="spouse", health="serious", employment="unemployed"
    )
    HardshipCauseFactory(household=worker_household, cause="illness")
    worker_household.refresh_from_db()
    return worker_household


def secrets(household):
    member = household.members.get()
    return {
        "id_number": household.id_number,
        "phone": household.phone,
        "bank_account": household.bank_account,
        "contact_phone": household.contact_phone,
        "member_id": member.id_number,
    }


def reveal(client, user, household, field):
    client.force_login(user)
    return client.post(reverse("household_reveal", args=[household.pk, field]))


# The household page --------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERY_ROLE)
def test_every_role_cannot_see_sensitive_values_on_the_household_page_by_default(
    client, request, file_g1a, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(file_g1a.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for name, value in secrets(file_g1a).items():
        assert value not in page, name
    assert mask_id_number(file_g1a.id_number) in page
    assert mask_phone(file_g1a.phone) in page
    assert mask_account(ACCOUNT) in page
    members = page[page.index('id="reveal-members"') :]
    members = members[: members.index("</table>")]
    assert "大病" not in members and "（已隐藏）" in members


@pytest.mark.parametrize("who", IDENTITY_READERS)
def test_identity_reader_can_see_a_show_action_for_identity_fields(client, request, file_g1a, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(file_g1a.get_absolute_url()).content.decode()
    for field in ("id_number", "phone", "bank_account", "contact_phone", "members"):
        assert reverse("household_reveal", args=[file_g1a.pk, field]) in page, field


@pytest.mark.parametrize("who", ["finance_c1", "auditor_fed"])
def test_money_and_audit_roles_cannot_see_any_show_action(client, request, file_g1a, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(file_g1a.get_absolute_url()).content.decode()
    assert "/reveal/" not in page


def test_committee_can_see_the_show_action_for_members_only(client, file_g1a, committee_c1):
    client.force_login(committee_c1)
    page = client.get(file_g1a.get_absolute_url()).content.decode()
    assert reverse("household_reveal", args=[file_g1a.pk, "members"]) in page
    assert reverse("household_reveal", args=[file_g1a.pk, "id_number"]) not in page


@pytest.mark.parametrize("who", ["committee_c1", "finance_c1", "auditor_fed", "reviewer_c1"])
def test_every_role_cannot_read_a_bank_account_in_the_change_history(
    client, request, file_g1a, caseworker_g1a, who
):
    client.force_login(caseworker_g1a)
    data = household_edit_data(file_g1a, bank_account=NEW_ACCOUNT)
    assert client.post(reverse("household_edit", args=[file_g1a.pk]), data).status_code == 302
    client.force_login(request.getfixturevalue(who))
    response = client.get(file_g1a.get_absolute_url())
    page = response.content.decode()
    assert any(c.field == "帮扶资金银行卡号" for c in response.context["history"])
    assert ACCOUNT not in page and NEW_ACCOUNT not in page


# The reveal endpoint ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", IDENTITY_READERS)
@pytest.mark.parametrize("field", ["id_number", "phone", "bank_account", "contact_phone"])
def test_identity_reader_can_reveal_an_identity_field_and_it_is_logged(
    client, request, file_g1a, who, field
):
    user = request.getfixturevalue(who)
    started = timezone.now()
    response = reveal(client, user, file_g1a, field)
    assert response.status_code == 200
    assert getattr(file_g1a, field) in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.user, log.household, log.field) == (user, file_g1a, field)
    assert started <= log.at <= timezone.now()


@pytest.mark.parametrize("who", NOT_IDENTITY)
@pytest.mark.parametrize("field", ["id_number", "phone", "bank_account", "contact_phone"])
def test_other_roles_cannot_reveal_an_identity_field(client, request, file_g1a, who, field):
    response = reveal(client, request.getfixturevalue(who), file_g1a, field)
    assert response.status_code == 403
    assert getattr(file_g1a, field) not in response.content.decode()
    assert not RevealLog.objects.exists()


@pytest.mark.parametrize("who", IDENTITY_READERS + ["committee_c1"])
def test_health_reader_can_reveal_members_ids_and_health_and_it_is_logged(
    client, request, file_g1a, who
):
    user = request.getfixturevalue(who)
    response = reveal(client, user, file_g1a, "members")
    assert response.status_code == 200
    content = response.content.decode()
    assert file_g1a.members.get().id_number in content
    assert "大病" in content
    log = RevealLog.objects.get()
    assert (log.user, log.household, log.field) == (user, file_g1a, RevealLog.Field.MEMBERS)


@pytest.mark.parametrize("who", ["finance_c1", "auditor_fed"])
def test_money_and_audit_roles_cannot_reveal_members(client, request, file_g1a, who):
    response = reveal(client, request.getfixturevalue(who), file_g1a, "members")
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


def test_caseworker_of_another_union_cannot_reveal_and_learns_nothing(
    client, file_g1a, caseworker_g2a
):
    assert reveal(client, caseworker_g2a, file_g1a, "id_number").status_code == 404
    assert not RevealLog.objects.exists()


def test_worker_cannot_reveal_someone_elses_file(client, household_g1a, worker_g1a):
    assert reveal(client, worker_g1a, household_g1a, "id_number").status_code == 404
    assert not RevealLog.objects.exists()


def test_caseworker_cannot_reveal_an_unknown_field_or_by_get(client, file_g1a, caseworker_g1a):
    assert reveal(client, caseworker_g1a, file_g1a, "address").status_code == 404
    assert reveal(client, caseworker_g1a, file_g1a, "notes").status_code == 404
    client.force_login(caseworker_g1a)
    assert (
        client.get(reverse("household_reveal", args=[file_g1a.pk, "id_number"])).status_code == 405
    )
    assert not RevealLog.objects.exists()


# The reveal log on the auditors' page ----------------------------------------------------------


@pytest.fixture
def reveals(client, file_g1a, household_g2a, caseworker_g1a, caseworker_g2a):
    reveal(client, caseworker_g1a, file_g1a, "id_number")
    reveal(client, caseworker_g2a, household_g2a, "phone")
    return RevealLog.objects.all()


def test_auditor_can_see_who_revealed_what_of_whom_and_when(
    client, reveals, file_g1a, household_g2a, auditor_fed
):
    client.force_login(auditor_fed)
    response = client.get(reverse("auditor_page"))
    assert response.status_code == 200
    assert {(r.user.username, r.household_id, r.field) for r in response.context["reveals"]} == {
        ("caseworker_g1a", file_g1a.pk, "id_number"),
        ("caseworker_g2a", household_g2a.pk, "phone"),
    }
    page = response.content.decode()
    assert "王干事" in page and file_g1a.file_number in page and "身份证号" in page
    assert timezone.localtime(reveals.first().at).strftime("%Y-%m-%d %H:%M") in page


def test_auditor_of_one_company_cannot_see_reveals_in_another(
    client, reveals, file_g1a, household_g2a, auditor_c1, auditor_c2
):
    client.force_login(auditor_c1)
    assert [r.household_id for r in client.get(reverse("auditor_page")).context["reveals"]] == [
        file_g1a.pk
    ]
    client.force_login(auditor_c2)
    page = client.get(reverse("auditor_page"))
    assert [r.household_id for r in page.context["reveals"]] == [household_g2a.pk]
    assert file_g1a.file_number not in page.content.decode()


@pytest.mark.parametrize(
    "who",
    ["caseworker_g1a", "reviewer_c1", "committee_c1", "finance_c1", "worker_g1a", "admin_fed"],
)
def test_other_roles_cannot_open_the_auditors_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("auditor_page")).status_code == 403


# The roster -----------------------------------------------------------------------------------


def roster(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("roster_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return roster_by_file(body(response))


@pytest.mark.parametrize("who", EXPORTERS)
def test_every_role_cannot_read_full_ids_in_the_roster_by_default(client, request, file_g1a, who):
    user = request.getfixturevalue(who)
    row = roster(client, user)[file_g1a.file_number]
    assert row["身份证号"] == mask_id_number(file_g1a.id_number) != file_g1a.id_number
    assert row["联系电话"] == mask_phone(file_g1a.phone) != file_g1a.phone
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.full_identity) == (user, ExportLog.Kind.ROSTER, False)


@pytest.mark.parametrize("who", ["caseworker_g1a", "chair_g1a", "reviewer_c1"])
def test_identity_reader_can_ask_for_full_ids_in_the_roster_and_it_is_logged(
    client, request, file_g1a, who
):
    user = request.getfixturevalue(who)
    row = roster(client, user, full="1")[file_g1a.file_number]
    assert row["身份证号"] == file_g1a.id_number
    assert row["联系电话"] == file_g1a.phone
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.full_identity, log.rows) == (
        user,
        ExportLog.Kind.ROSTER,
        True,
        1,
    )


@pytest.mark.parametrize("who", ["committee_c1", "finance_c1", "auditor_fed"])
def test_other_roles_cannot_get_full_ids_in_the_roster_by_asking(client, request, file_g1a, who):
    row = roster(client, request.getfixturevalue(who), full="1")[file_g1a.file_number]
    assert row["身份证号"] == mask_id_number(file_g1a.id_number)
    assert ExportLog.objects.get().full_identity is False


def test_worker_cannot_export_the_roster(client, file_g1a, worker_g1a):
    client.force_login(worker_g1a)
    assert client.get(reverse("roster_xlsx"), {"full": "1"}).status_code == 403
    assert not ExportLog.objects.exists()


# Reports, notices and forms: logged and stamped ---------------------------------------------------


def stamp_of(user) -> str:
    return f"{user.full_name}导出于{timezone.localdate():%Y-%m-%d}"


def test_finance_can_export_the_annual_workbook_and_it_is_logged(client, org, fund_c1, finance_c1):
    year = timezone.localdate().year
    client.force_login(finance_c1)
    response = client.get(reverse("annual_report_xlsx"), {"year": year, "unit": org.c1.pk})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.scope) == (finance_c1, ExportLog.Kind.ANNUAL_XLSX, f"C1 {year}")
    assert log.rows == 1  # the receipt


def test_auditor_can_export_the_annual_pdf_stamped_with_their_name_and_it_is_logged(
    client, org, fund_c1, auditor_fed
):
    year = timezone.localdate().year
    client.force_login(auditor_fed)
    response = client.get(reverse("annual_report_pdf"), {"year": year, "unit": org.c1.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert stamp_of(auditor_fed) in squeezed(pdf_text(body(response)))
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.scope) == (auditor_fed, ExportLog.Kind.ANNUAL_PDF, f"C1 {year}")


def test_caseworker_can_export_the_notice_pdf_stamped_and_logged(client, app_at, caseworker_g1a):
    app_at("in_notice")
    client.force_login(caseworker_g1a)
    response = client.get(reverse("notice_pdf"))
    assert response.status_code == 200
    assert stamp_of(caseworker_g1a) in squeezed(pdf_text(body(response)))
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.rows) == (caseworker_g1a, ExportLog.Kind.NOTICE_PDF, 1)
    assert log.scope


def test_reviewer_can_export_the_application_form_stamped_and_logged(client, app_at, reviewer_c1):
    application = app_at("company_verified")
    client.force_login(reviewer_c1)
    response = client.get(reverse("application_pdf", args=[application.pk]))
    assert response.status_code == 200
    text = squeezed(pdf_text(body(response)))
    assert stamp_of(reviewer_c1) in text
    assert application.household.id_number not in text
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.scope) == (
        reviewer_c1,
        ExportLog.Kind.APPLICATION_PDF,
        application.number,
    )


def test_caseworker_of_another_company_cannot_export_an_application_form(
    client, app_at, caseworker_g2a
):
    application = app_at("submitted")
    client.force_login(caseworker_g2a)
    assert client.get(reverse("application_pdf", args=[application.pk])).status_code == 404
    assert not ExportLog.objects.exists()


def test_auditor_can_see_exports_of_their_scope_on_the_auditors_page(
    client, org, file_g1a, household_g2a, caseworker_g1a, caseworker_g2a, auditor_c1, auditor_fed
):
    roster(client, caseworker_g1a, full="1")
    roster(client, caseworker_g2a)
    client.force_login(auditor_c1)
    response = client.get(reverse("auditor_page"))
    assert [(e.user, e.full_identity) for e in response.context["exports"]] == [
        (caseworker_g1a, True)
    ]
    assert "完整身份信息" in response.content.decode()
    client.force_login(auditor_fed)
    assert {e.user for e in client.get(reverse("auditor_page")).context["exports"]} == {
        caseworker_g1a,
        caseworker_g2a,
    }


@pytest.mark.parametrize("who", EXPORTERS)
def test_every_role_cannot_see_full_ids_or_phones_on_the_household_list(
    client, request, file_g1a, who
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("household_list")).content.decode()
    assert file_g1a.file_number in page
    assert file_g1a.id_number not in page and file_g1a.phone not in page
    assert mask_id_number(file_g1a.id_number) in page
