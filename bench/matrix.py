"""Every page of the authorisation matrix, timed on the bench data.

The pages are the matrix's own list of named URLs (tests/securitykit.py), so a page added
to the matrix is measured here too. Each is asked for as the first of the bench's people
who may see it, the widest scope first (the auditor of the whole province, then a
company's reviewer, committee and finance, then a grassroots union's caseworker and chair),
and about records of that union, which everyone in the list may see. A page is what
answers a GET with HTML; files are the exports measured apart, and what answers no one
(a POST-only action, a record the bench data has none of) is listed with the reason. The
records a file's everyday work makes (a contact, a legal-aid case, a visit round, a change
report, a sample drawn, and the money's, loans' and employment help's records) are made for
the walk (bench/records.py), and the registry's composition is counted again after them, as
the day's first page after them would.

Every request runs in a transaction rolled back after it, as the matrix's calls do, and
the walk in one rolled back with the records made for it, so the bench data stays as
generated."""

import io
import logging
import statistics
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from cases.models import Application, Decision
from funds.models import Fund, LedgerEntry
from hardship.models import User
from households.models import Household, Member

from . import records as walk_records

sys.path.insert(0, str(Path(settings.BASE_DIR) / "tests"))
import securitykit  # noqa: E402  (the matrix's table of URLs, kept with the tests)

READERS = [
    "bench_auditor",
    "b0_company_reviewer",
    "b0_committee",
    "b0_finance",
    "b0g0_caseworker",
    "b0g0_chair",
]
# A page this slow on its first request is timed fewer times.
SLOW_S = 1.0


class _Records:
    """The matrix's record names (tests/fixtures/world.py) that the bench data holds, each
    in the caseworker's union; any other name is a record the bench data has none of."""

    def __init__(self):
        caseworker = User.objects.get(username=READERS[-2])
        self.union = caseworker.memberships.get().unit
        applications = Application.objects.filter(union=self.union).order_by("pk")
        self.found = {
            "household": Household.objects.filter(union=self.union, status="in_file")
            .order_by("pk")
            .first(),
            **{
                state: applications.filter(state=state).first()
                for state in (
                    "submitted",
                    "returned",
                    "grassroots_approved",
                    "in_notice",
                    "effective",
                    "rejected",
                )
            },
            "fund": Fund.objects.filter(unit=self.union.parent).order_by("pk").first(),
            "evaluation_unit": self.union.parent,
        }
        self.found.update(walk_records.made(self.union, self.found["household"]))
        self.found.update(
            walk_records.made_for_money(self.union, self.found["household"], self.found)
        )
        self.found["decision"] = Decision.objects.filter(
            application=self.found["grassroots_approved"]
        ).first()
        self.found["member"] = Member.objects.filter(household=self.found["household"]).first()
        self.found["entry"] = LedgerEntry.objects.filter(fund=self.found["fund"]).first()
        # The day's first page after these records counts the changed parts of their unions
        # again and keeps them (households.composition), as the nightly count does here: the
        # walk times the pages after it. run_bench times that count apart ("composition").
        call_command("count_registry", stdout=io.StringIO())

    def __getattr__(self, name):
        record = self.__dict__["found"].get(name)
        if record is None:
            raise LookupError(name)
        return record


def _time(client, url, runs) -> dict | None:
    def get():
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        return response

    started = time.perf_counter()
    first = get()
    if first.status_code != 200 or not first.get("Content-Type", "").startswith("text/html"):
        return None
    if time.perf_counter() - started > SLOW_S:
        runs = 3
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            queries.append(sql) or execute(sql, params, many, context)
        )
    ):
        get()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "queries": len(queries),
    }


def walk(runs: int) -> dict[str, dict]:
    """Per named URL: the figures and who was asked for it, or why it was not measured."""
    with transaction.atomic():
        results = _walk(runs)
        transaction.set_rollback(True)  # the records made for the walk (bench/records.py)
    return results


def _walk(runs: int) -> dict[str, dict]:
    records = _Records()
    clients = []
    for username in READERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients.append((username, client))
    results = {}
    # Each refusal on the way to the first reader who may see a page is expected here.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    for route in securitykit.named_routes():
        try:
            url = securitykit.url_for(route, records)
        except LookupError as missing:
            results[route.name] = {"not_measured": f"no {missing.args[0]} in the bench data"}
            continue
        for username, client in clients:
            figures = _time(client, url, runs)
            if figures is not None:
                results[route.name] = {"as": username, **figures}
                break
        else:
            results[route.name] = {"not_measured": "not an HTML page for any bench user"}
    return results
