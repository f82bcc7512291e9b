from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hardship.models import Unit
from reports.annual import annual_report
from reports.exports import annual_pdf, annual_xlsx


class Command(BaseCommand):
    help = (
        "Write the annual fund-use report (年度帮扶资金使用情况) for a year as xlsx or pdf. "
        "Scope: the funds of --unit (by code) and every unit below it; without --unit, the "
        "whole tree (the single root unit; name one with --unit if there are several)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["xlsx", "pdf"], required=True)
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument("--unit", help="unit code; default: the root of the tree")

    def handle(self, *args, year, format, output, unit=None, **options):
        if unit:
            scope = Unit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(f"No unit with code {unit!r}.")
        else:
            roots = list(Unit.objects.filter(parent__isnull=True))
            if len(roots) != 1:
                raise CommandError("The tree has several roots: name one with --unit.")
            scope = roots[0]
        report = annual_report(year, scope)
        path = Path(output)
        if format == "xlsx":
            try:
                rows = annual_xlsx(report, path)
            except BaseException:
                path.unlink(missing_ok=True)  # a workbook cut short must not look like one
                raise
            detail = f"{rows} ledger rows"
        else:
            path.write_bytes(annual_pdf(report))
            detail = "summary"
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {scope.name} {year}, {detail}; net paid {report.net_paid:,.2f}, "
                f"closing balance {report.closing:,.2f}."
            )
        )
