"""Demo bank batch (银行代发): the coal company's 2026 Spring Festival payment sent to the bank
as an agricultural-bank batch file, the bank's return file with two failed rows imported:
both payments reversed with the bank's reason, both households on the caseworkers' list of
cards to fix. Driven through the real services; called by `seed_demo` after the money."""

from bank import batchfile, services
from bank.examples import add_examples
from bank.models import BatchTemplate, PaymentBatch, TemplateColumn
from funds.models import DistributionPlan, LedgerEntry
from hardship.models import User

TEMPLATE = "农业银行代发（示例）"
PLAN = "2026年春节送温暖慰问金"
FAILURES = ("账户已销户", "户名与账号不符")


def seed_bank() -> int:
    """Returns the number of batch lines written (0 when the demo batch is already there)."""
    add_examples(BatchTemplate, TemplateColumn)
    if PaymentBatch.objects.exists():
        return 0
    plan = (
        DistributionPlan.objects.filter(
            name=PLAN,
            unit__code="MY",
            state=DistributionPlan.State.POSTED,
            method=LedgerEntry.Method.BANK,
        )
        .select_related("fund")
        .first()
    )
    template = BatchTemplate.objects.filter(name=TEMPLATE).first()
    if plan is None or template is None:
        return 0
    finance = User.objects.get(username="my_finance")
    batch = services.batch_from_plan(actor=finance, plan=plan, template=template)
    services.batch_mark_sent(actor=finance, batch=batch)
    lines = list(batch.lines.order_by("pk"))
    failed = {line.pk: reason for line, reason in zip(lines[3::11], FAILURES, strict=False)}
    content = batchfile.return_file_for(batch, failed)
    services.return_import(
        actor=finance, batch=batch, content=content, file_name=f"{batch.number}-回盘.xlsx"
    )
    return len(lines)


def seed(run) -> None:
    """The bank's demo step (hardship.demo.DemoRun)."""
    lines = seed_bank()
    if lines:
        run.report.append(
            f"A festival plan paid through a bank batch of {lines} lines, two returned."
        )
