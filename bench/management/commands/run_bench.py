"""Measure the pages and exports people wait for, on the data of generate_bench_data.

Server time is measured in-process through Django's test client (the full middleware stack,
no network), as median and 95th percentile over repeated requests, with the query count of
one request. Exports run as separate processes so their peak memory can be read. Baselines
from the same run put each figure in proportion: a minimal Django view, and PostgreSQL's own
COPY of the same ledger rows.
"""

import datetime
import gc
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit import kept
from bench import matrix, report
from bench.roster_import import roster_import
from bench.throughput import throughput
from funds import plans
from funds.ledger import receipt_record
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry, PlanLine
from hardship.models import Unit, User
from households import composition
from households.models import Household
from households.selectors import household_list

# Every page of the matrix is timed this many times at most (the six pages above, `--runs`).
MATRIX_RUNS = 10


class _RolledBack(Exception):
    """Leaves a measured write's transaction without keeping it."""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def settle_heap() -> None:
    """Leave what the bench's own set-up made out of the garbage collector's walks: a full
    collection over it paused one request in thirty by up to 0.4 s (a worker serving pages
    holds no such heap), which is what a p95 of few runs then showed."""
    gc.collect()
    gc.freeze()


class Command(BaseCommand):
    help = (
        "Run the benchmarks against the current database (filled by generate_bench_data) and "
        "keep the figures in docs/bench/ (one file per data-set size) and write "
        "docs/benchmarks.md from them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs, **options):
        if not Household.objects.filter(file_number__contains="-B-").exists():
            raise CommandError(
                "No benchmark data: run `manage.py generate_bench_data` on an empty database first."
            )
        self.runs = runs
        # The steady state: the composition counted after midnight, as daily_maintenance
        # does (the statistics page and the household list's count read it).
        call_command("count_registry", stdout=self.stdout)
        auditor = User.objects.get(username="bench_auditor")
        reviewer = User.objects.get(username="b0_company_reviewer")
        household = Household.objects.filter(status="in_file").order_by("pk")[5000]
        year = (
            LedgerEntry.objects.order_by("-posted_on")
            .values_list("posted_on__year", flat=True)
            .first()
            - 1
        )
        rows = LedgerEntry.objects.filter(posted_on__year=year).count()
        results = {
            "data": {
                "households": Household.objects.count(),
                "ledger_rows": LedgerEntry.objects.count(),
                "ledger_rows_in_year": rows,
                "year": year,
                "database": connection.vendor,
            },
            "pages": {},
        }
        listed = "status=in_file&category=near_dibao"
        pages = [
            ("minimal Django view (baseline)", None, "/healthz"),
            ("household list, page 1", auditor, f"/households/?{listed}"),
            # Page 500 as a reader reaches it: by the 下一页 link, which carries the key of
            # page 499's last row (hardship.pagination.keyset_paginate); and typed in.
            (
                "household list, page 500",
                auditor,
                f"/households/?{listed}&page=500&after={self.key_before_page(auditor, 500)}",
            ),
            ("household list, page 500 typed in", auditor, f"/households/?{listed}&page=500"),
            ("household detail", auditor, f"/households/{household.pk}/"),
            ("my inbox", reviewer, "/applications/inbox/"),
            ("statistics page", auditor, f"/reports/statistics/?year={year}"),
            (
                "annual report page",
                auditor,
                f"/reports/annual/?year={year}&unit={auditor.memberships.first().unit_id}",
            ),
        ]
        settle_heap()
        for label, user, url in pages:
            results["pages"][label] = self.page(user, url)
            self.stdout.write(f"{label:34} {results['pages'][label]}")
        # The checks page's steady state: the province's and a company's checks kept, as
        # the night's count (daily_maintenance) leaves them; how long each count took.
        results["background"] = {
            f"integrity checks kept, {user.username}": self.keep_checks(user)
            for user in (auditor, reviewer)
        }
        self.stdout.write(f"{'integrity checks kept':34} {results['background']}")
        results["composition"] = self.composition_recount()
        self.stdout.write(f"{'composition counted again':34} {results['composition']}")
        settle_heap()
        results["matrix"] = matrix.walk(min(runs, MATRIX_RUNS))
        for name, figures in results["matrix"].items():
            self.stdout.write(f"{name:34} {figures}")
        unit_code = auditor.memberships.first().unit.code
        results["exports"] = {
            "annual xlsx": self.export(year, "xlsx", unit_code),
            "annual pdf": self.export(year, "pdf", unit_code),
            "COPY ledger rows to csv (baseline)": self.copy_baseline(year),
        }
        for label, figures in results["exports"].items():
            self.stdout.write(f"{label:34} {figures}")
        results["writes"] = {
            "plan of 5,000 lines posted": self.plan_posting(5000),
            "roster import of 10,000 rows": roster_import(10_000),
        }
        results["throughput"] = throughput(
            auditor,
            {
                "minimal Django view (ceiling)": ["/healthz"],
                "household list": [f"/households/?{listed}"],
                "household detail": [f"/households/{household.pk}/"],
                "mixed reads": [
                    f"/households/?{listed}",
                    f"/households/{household.pk}/",
                    f"/households/?{listed}&page=2&after={self.key_before_page(auditor, 2)}",
                    f"/reports/annual/?year={year}&unit={auditor.memberships.first().unit_id}",
                ],
            },
        )
        self.stdout.write(f"{'throughput':34} {results['throughput']}")
        self.stdout.write(f"{'plan posting':34} {results['writes']}")
        baseline = results["pages"]["minimal Django view (baseline)"]["median_ms"] or 0.1
        copy = results["exports"]["COPY ledger rows to csv (baseline)"]["seconds"] or 0.001
        for figures in results["pages"].values():
            figures["x_minimal_view"] = round(figures["median_ms"] / baseline, 1)
        results["exports"]["annual xlsx"]["x_copy"] = round(
            results["exports"]["annual xlsx"]["seconds"] / copy, 1
        )
        kept = report.keep(results)
        report.write_markdown()
        self.stdout.write(self.style.SUCCESS(f"Wrote {kept} and docs/benchmarks.md"))

    def key_before_page(self, user, number: int, per_page: int = 25) -> int:
        """The key the 下一页 link of page `number - 1` carries: its last row's (the last
        page's when a smaller data set has fewer pages, as the typed-in number gets)."""
        rows = household_list(user, {"status": "in_file", "category": "near_dibao"})
        number = max(2, min(number, -(-rows.count() // per_page)))
        return rows.values_list("pk", flat=True)[(number - 1) * per_page - 1]

    def page(self, user, url):
        client = Client()
        if user is not None:
            client.force_login(user)
        for _warm in range(2):
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: (
                queries.append(sql) or execute(sql, params, many, context)
            )
        ):
            client.get(url)
        times = []
        for _run in range(self.runs):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        return {
            "median_ms": _ms(statistics.median(times)),
            "p95_ms": _ms(p95),
            "queries": len(queries),
        }

    def keep_checks(self, user) -> dict:
        started = time.perf_counter()
        snapshot = kept.count(kept.scope_of(user))
        return {
            "seconds": round(time.perf_counter() - started, 1),
            "findings": sum(snapshot.totals.values()),
        }

    def composition_recount(self, runs: int = 5) -> dict:
        """The registry's composition (households.composition) of the union with the most
        files: counted in full, as on a new day, and counted again after one of its files
        changed (one part of it), each in a transaction rolled back after."""
        largest = (
            Household.objects.filter(status="in_file")
            .values("union_id")
            .annotate(files=Count("pk"))
            .order_by("-files")
            .first()
        )
        union_id, on = largest["union_id"], timezone.localdate()
        files = Household.objects.filter(union_id=union_id, status="in_file").order_by("pk")
        full, after_change = [], []
        for run in range(runs):
            for times, day, changed in (
                (full, on + datetime.timedelta(days=1), None),
                (after_change, on, files[run]),
            ):
                with transaction.atomic():
                    if changed is not None:
                        Household.objects.filter(pk=changed.pk).update(housing=F("housing"))
                    started = time.perf_counter()
                    composition.counts_of_unions([union_id], day)
                    times.append(time.perf_counter() - started)
                    transaction.set_rollback(True)
        return {
            "files": largest["files"],
            "full_ms": _ms(statistics.median(full)),
            "one_file_changed_ms": _ms(statistics.median(after_change)),
        }

    def plan_posting(self, lines: int) -> dict:
        """An approved plan of `lines` households of one company posted through
        funds.plans.plan_post (every line through the payment rules, the rows in one insert,
        the year totals kept in step), timed with its queries, then rolled back: the data set
        stays as generated."""
        company = Unit.objects.get(code="B0")
        finance = User.objects.get(username="b0_finance")
        today = datetime.date.today()
        households = Household.objects.filter(status="in_file", union__parent=company)
        households = list(households.order_by("pk").values_list("pk", "union_id")[:lines])
        amount = Decimal("200")
        figures = {}
        try:
            with transaction.atomic():
                fund = Fund.objects.create(
                    name="基准测试方案资金",
                    source=Fund.Source.GROUP,
                    year=today.year,
                    unit=company,
                    aid_types=[AidType.REGULAR],
                )
                receipt_record(
                    actor=finance,
                    fund=fund,
                    amount=amount * len(households),
                    voucher="BENCH-PLAN-R",
                    posted_on=today,
                    note="基准测试",
                )
                plan = DistributionPlan.objects.create(
                    name="基准测试方案",
                    unit=company,
                    fund=fund,
                    aid_type=AidType.REGULAR,
                    flat_amount=amount,
                    method=LedgerEntry.Method.BANK,
                    pay_on=today,
                    state=DistributionPlan.State.APPROVED,
                    created_by=finance,
                )
                PlanLine.objects.bulk_create(
                    PlanLine(plan=plan, household_id=pk, union_id=union_id, amount=amount)
                    for pk, union_id in households
                )
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    posted = plans.plan_post(actor=finance, plan=plan)
                    seconds = time.perf_counter() - started
                figures = {
                    "lines": len(posted),
                    "seconds": round(seconds, 2),
                    "queries": len(queries),
                }
                raise _RolledBack
        except _RolledBack:
            pass
        return figures

    def export(self, year, fmt, unit_code):
        target = Path(settings.VAR_DIR) / "bench" / f"annual-{year}.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        argv = ["manage.py", "export_annual_report", "--year", str(year), "--format", fmt]
        argv += ["--output", str(target), "--unit", unit_code]
        # Each export reports its own peak: the high-water mark of its own address space
        # (ru_maxrss outlives exec, so a child's would start at this process's size).
        script = (
            f"import runpy, sys; sys.argv = {argv!r}\n"
            "try:\n    runpy.run_path('manage.py', run_name='__main__')\n"
            "finally:\n    print('MAXRSS', [line.split()[1] for line in open('/proc/self/status')"
            " if line.startswith('VmHWM')][0])"
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", script],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            cwd=settings.BASE_DIR,
        )
        seconds = time.perf_counter() - started
        peak_kb = int(done.stdout.rsplit("MAXRSS", 1)[1])
        return {
            "seconds": round(seconds, 2),
            "peak_mb": round(peak_kb / 1024, 1),
            "bytes": target.stat().st_size,
        }

    def copy_baseline(self, year):
        sql = (
            "COPY (SELECT posted_on, voucher, kind, fund_id, aid_type, household_id, payee_name, "
            "bank_account, method, note, reverses_id, amount FROM funds_ledgerentry "
            f"WHERE posted_on >= '{year}-01-01' AND posted_on < '{year + 1}-01-01' ORDER BY posted_on, id) "
            "TO STDOUT (FORMAT csv)"
        )
        if connection.vendor != "postgresql":
            return {"seconds": None, "note": "PostgreSQL only"}
        started = time.perf_counter()
        size = 0
        with connection.cursor() as cursor:
            with cursor.connection.cursor().copy(sql) as copy:
                for block in copy:
                    size += len(block)
        return {"seconds": round(time.perf_counter() - started, 2), "bytes": size}
