"""A province-scale data set for benchmarks, written with COPY (bench.dataset, bench.tables).

Shape (for --households 100000 --years 5): about 50 units, 100,000 households, 300,000
members, 1,000,000 ledger rows (payments with a hash chain, and receipts that cover them),
200,000 applications. No change history is written (bulk loads skip it), which is what a
migrated legacy roster looks like, and it keeps generation to minutes.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench import dataset
from hardship.models import Membership, PolicyParameter, Role, Unit, User
from households.models import Household

COMPANIES = 5
GRASSROOTS_PER_COMPANY = 9


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database (PostgreSQL recommended) with a province-scale benchmark data "
        "set: ~50 units, --households households (3 members each), 10 payments per household "
        "over --years years, 2 applications per household. Refuses to run on a database that "
        "already has households."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, households, years, seed, **options):
        if Household.objects.exists():
            raise CommandError(
                "The database already has households: use an empty database for benchmarks."
            )
        self.rng = random.Random(seed)
        self.today = datetime.date.today()
        self.first_year = self.today.year - years + 1
        started = time.monotonic()
        with transaction.atomic():
            grassroots, companies = self.units()
            self.people(grassroots, companies)
            self.policy()
        self.log("units and people", started)
        rng, today = self.rng, self.today
        registry = dataset.write_households(households, grassroots, rng, today, self.first_year)
        self.log(f"{len(registry)} households with members, income and causes", started)
        filers = {
            unit.pk: User.objects.get(username=f"{unit.code.lower()}_caseworker").pk
            for unit in grassroots
        }
        dataset.write_applications(registry, filers, rng, today)
        self.log("applications and their decisions", started)
        finance = {
            company.pk: User.objects.get(username=f"{company.code.lower()}_finance").pk
            for company in companies
        }
        dataset.write_ledger(registry, companies, finance, years, rng, today)
        self.log("ledger and its year totals", started)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                # What autovacuum would have done by the time anyone reads the data: statistics
                # for the planner and the visibility map that index-only scans rely on.
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))

    def log(self, what, started):
        self.stdout.write(f"{time.monotonic() - started:7.1f} s  {what}")

    def units(self):
        root = Unit(code="BENCH", name="省总工会", kind=Unit.Kind.FEDERATION)
        root.save()
        companies, grassroots = [], []
        for c in range(COMPANIES):
            company = Unit(
                code=f"B{c}", name=f"第{c + 1}公司工会", kind=Unit.Kind.COMPANY, parent=root
            )
            company.save()
            companies.append(company)
            for g in range(GRASSROOTS_PER_COMPANY):
                unit = Unit(
                    code=f"B{c}G{g}",
                    name=f"第{c + 1}公司第{g + 1}基层工会",
                    kind=Unit.Kind.GRASSROOTS,
                    parent=company,
                )
                unit.save()
                grassroots.append(unit)
        return grassroots, companies

    def people(self, grassroots, companies):
        password = make_password("bench-pass-2026")  # hashed once: a hundred users in a second

        def person(username, role, unit):
            user = User.objects.create(username=username, password=password, full_name=username)
            Membership.objects.create(user=user, unit=unit, role=role)

        person("bench_auditor", Role.AUDITOR, Unit.objects.get(code="BENCH"))
        for company in companies:
            for role in (Role.COMPANY_REVIEWER, Role.COMMITTEE, Role.FINANCE):
                person(f"{company.code.lower()}_{role}", role, company)
        for unit in grassroots:
            person(f"{unit.code.lower()}_caseworker", Role.CASEWORKER, unit)
            person(f"{unit.code.lower()}_chair", Role.GRASSROOTS_CHAIR, unit)

    def policy(self):
        start = datetime.date(2000, 1, 1)
        for key, value in (
            ("hardship_threshold", "664"),
            ("extreme_threshold", "570"),
            ("notice_days", "5"),
        ):
            PolicyParameter.objects.create(key=key, value=Decimal(value), valid_from=start)
