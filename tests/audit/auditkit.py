"""Helpers for the tests in tests/audit: money through the real services, a ledger row
written behind the services' back (but correctly chained), the review form as a browser
posts it, and readers for the exported files."""

import datetime
import io
import itertools
import re
from decimal import Decimal

import pypdfium2 as pdfium
from casekit import advance, file
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook

from cases import services as case_services
from cases.models import Application, Notice
from funds import ledger, totals
from funds.ledger import report_dims
from funds.models import AidType, Fund, LedgerEntry
from hardship import chain

_vouchers = itertools.count(1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def D(value) -> Decimal:
    return Decimal(str(value))


def voucher(prefix="PZ") -> str:
    return f"{prefix}-A{next(_vouchers):06d}"


def make_fund(unit, name, *, year=None) -> Fund:
    return Fund.objects.create(
        name=name,
        source=Fund.Source.GROUP,
        year=year or timezone.localdate().year,
        unit=unit,
        aid_types=list(AidType.values),
    )


def receive(actor, fund, amount, *, on=None) -> LedgerEntry:
    return ledger.receipt_record(
        actor=actor,
        fund=fund,
        amount=D(amount),
        voucher=voucher("DZ"),
        posted_on=on or timezone.localdate(),  # the books take no date before their window
        note="到账",
    )


def effective(staff, household, amount="5000", kind="emergency") -> Application:
    """An aid application carried up the chain and through its notice: payable."""
    application = file(staff["caseworker"], household, kind, amount)
    application = advance(
        application,
        Application.State.IN_NOTICE,
        chair=staff["chair"],
        reviewer=staff["reviewer"],
        committee=staff["committee"],
    )
    ends_on = Notice.objects.get(application=application).ends_on
    case_services.close_due_notices(ends_on + datetime.timedelta(days=1))
    application.refresh_from_db()
    assert application.state == Application.State.EFFECTIVE
    return application


def pay(actor, fund, application, amount, *, on) -> LedgerEntry:
    return ledger.payment_make(
        actor=actor,
        fund=fund,
        application=application,
        amount=D(amount),
        method=LedgerEntry.Method.CASH,
        voucher=voucher("FF"),
        paid_on=on,
    )


def chained_payment(actor, fund, application, amount, *, on) -> LedgerEntry:
    """A payment row written directly (skipping the payment rules), linked into the hash
    chain and moving the balance exactly as funds.ledger.post_entry does: the chain and the
    balance stay valid."""
    household = application.household
    entry = LedgerEntry(
        fund=fund,
        kind=LedgerEntry.Kind.PAYMENT,
        amount=-D(amount),
        voucher=voucher("ZF"),
        posted_on=on,
        note="直接写入",
        recorded_by=actor,
        household=household,
        aid_type=AidType.EMERGENCY,
        application=application,
        payee_name=household.worker_name,
        payee_id_number=household.id_number,
        method=LedgerEntry.Method.CASH,
        **report_dims(household),
    )
    with transaction.atomic():
        chain.link(LedgerEntry.CHAIN, entry)
        entry.save()
        totals.record([entry])
        Fund.objects.filter(pk=fund.pk).update(balance=F("balance") + entry.amount)
    return entry


# Raw SQL behind the application's back -----------------------------------------------------


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def allow_ledger_writes():
    """Switch off the append-only trigger for the rest of the test's transaction (rolled back
    with it on both databases: PostgreSQL and SQLite DDL is transactional)."""
    if connection.vendor == "postgresql":
        # Deferred foreign-key checks queued by this transaction would block ALTER TABLE.
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql("ALTER TABLE funds_ledgerentry DISABLE TRIGGER funds_ledger_append_only")
    else:
        sql("DROP TRIGGER funds_ledger_no_update")
        sql("DROP TRIGGER funds_ledger_no_delete")


# Reading exported files ---------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in pdf)
    finally:
        pdf.close()


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def roster_by_file(data: bytes) -> dict:
    """The roster workbook's rows as {file number: {header: value}}."""
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    headers = rows[0]
    return {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
