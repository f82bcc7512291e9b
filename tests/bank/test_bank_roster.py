"""The signed payment roster (发放花名册) of a plan or a batch: PDF (A4 landscape, the header
on every page, page totals and the grand total) and xlsx (the same pages, print-ready);
masked ID numbers, card tail or 现金, a signature column; every export logged. The signed
scan comes back as the batch's voucher, checked by its content."""

import io
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from bankkit import lines_of, plan_batch, return_file, upload
from django.core.exceptions import ValidationError
from django.urls import reverse
from factories import HouseholdFactory
from fundkit import approve, new_plan, submit
from openpyxl import load_workbook

from audit.models import ExportLog
from bank import services
from funds import plans
from hardship.demo import demo_pdf
from hardship.idnumber import mask_id_number
from reports import payroll

pytestmark = pytest.mark.django_db


def pages_of(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [re.sub(r"\s+", "", page.get_textpage().get_text_bounded()) for page in pdf]
    finally:
        pdf.close()


@pytest.fixture
def big_plan(org, finance_c1, committee_c1, fund_c1):
    """Twenty households of G1b at 300 yuan: two pages of rows (fourteen a page)."""
    for n in range(20):
        HouseholdFactory(in_file=True, union=org.g1b, bank_account=f"62220200000001{n:05d}")
    plan = approve(
        submit(new_plan(finance_c1, fund_c1, org.g1b, flat_amount=Decimal("300"))), committee_c1
    )
    plans.plan_post(actor=finance_c1, plan=plan)
    return plan


def test_the_batch_roster_pdf_has_page_totals_and_the_grand_total(
    client, finance_c1, big_plan, icbc
):
    batch = plan_batch(finance_c1, big_plan, icbc)
    client.force_login(finance_c1)
    response = client.get(reverse("bank_roster_pdf", args=[batch.pk]))
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    pdf = pdfium.PdfDocument(data)
    width, height = pdf[0].get_size()
    pdf.close()
    assert width > height  # landscape
    first, second = pages_of(data)
    for page in (first, second):  # the header repeated on every page
        assert "领款人签字" in page and "身份证号" in page
    assert "第1页小计（14人）4,200.00" in first
    assert "第2页小计（6人）1,800.00" in second and "合计（20人）6,000.00" in second
    line = lines_of(batch)[0]
    assert mask_id_number(line.entry.payee_id_number) in first
    assert line.entry.payee_id_number not in first
    assert f"尾号{line.account[-4:]}" in first
    log = ExportLog.objects.get()
    assert (log.kind, log.rows, log.full_identity) == (ExportLog.Kind.PAYROLL_PDF, 20, False)


def test_a_returned_line_says_so_on_the_roster(finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc)
    line = lines_of(batch)[0]
    services.return_import(
        actor=finance_c1,
        batch=batch,
        content=return_file(batch, {line: "账户已销户"}),
        file_name="r.csv",
    )
    roster = payroll.batch_roster(batch)
    assert roster.lines[0].card == f"尾号 {line.account[-4:]}（银行退回）"


def test_a_cash_plan_roster_says_cash(org, finance_c1, committee_c1, fund_c1, household):
    plan = approve(
        submit(new_plan(finance_c1, fund_c1, org.g1a, aid_type="emergency", method="cash")),
        committee_c1,
    )
    roster = payroll.plan_roster(plan)
    assert [line.card for line in roster.lines] == ["现金"]
    assert roster.total == Decimal("600")


def test_the_plan_roster_xlsx_prints_landscape_with_the_header_and_page_totals(
    client, committee_c1, big_plan
):
    client.force_login(committee_c1)
    response = client.get(reverse("plan_roster_xlsx", args=[big_plan.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$3:$3"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][-1] == "领款人签字"
    totals = [row for row in values if row[4] in ("本页小计", "合计")]
    assert [(row[4], row[5]) for row in totals] == [
        ("本页小计", 4200),
        ("本页小计", 1800),
        ("合计", 6000),
    ]
    assert [b.id for b in sheet.row_breaks.brk] == [18, 25]
    assert ExportLog.objects.get().kind == ExportLog.Kind.PAYROLL_XLSX


def test_the_signed_scan_is_uploaded_as_the_batchs_voucher(client, finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc)
    client.force_login(finance_c1)
    url = reverse("bank_voucher_upload", args=[batch.pk])
    fake = upload("签字花名册.pdf", b"\x89PNG\r\n\x1a\n not really an image")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400 and "已损坏或无法识别" in response.content.decode()
    batch.refresh_from_db()
    assert batch.voucher_file == ""
    response = client.post(url, {"file": upload("签字花名册.pdf", demo_pdf("signed"))})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.voucher_name, batch.voucher_uploaded_by) == ("签字花名册.pdf", finance_c1)
    download = client.get(reverse("bank_voucher_download", args=[batch.pk]))
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_upload_is_checked_by_content_in_the_service(finance_c1, posted_plan, icbc):
    batch = plan_batch(finance_c1, posted_plan, icbc)
    with pytest.raises(ValidationError, match="只接受 PDF、JPEG 或 PNG"):
        services.voucher_upload(
            actor=finance_c1, batch=batch, upload=upload("roster.pdf", b"<html>not a pdf</html>")
        )
