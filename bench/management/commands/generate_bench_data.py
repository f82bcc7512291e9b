"""A province-scale data set for benchmarks, written with bulk inserts.

Shape (for --households 100000 --years 5): about 50 units, 100,000 households, 300,000
members, 1,000,000 ledger rows (payments with a hash chain, and receipts that cover them),
200,000 applications. No change history is written (bulk inserts skip it), which is what a
migrated legacy roster looks like, and it keeps generation to minutes.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Sum

from cases.models import Application, Decision
from funds import totals
from funds.models import AidType, Fund, LedgerEntry
from hardship import chain
from hardship.idnumber import check_character
from hardship.models import Membership, PolicyParameter, Role, Unit, User
from households.models import (
    Cause,
    HardshipCause,
    Household,
    IncomeItem,
    Member,
    main_cause_by_default,
)

BATCH = 5000
# What the payments are for, how often, and typical amounts (yuan).
AID_MIX = (
    (AidType.REGULAR, "定期补助", (300, 500, 800)),
    (AidType.EMERGENCY, "临时救助", (500, 1000, 2000)),
    (AidType.MEDICAL, "医疗救助", (1000, 2000, 3000)),
    (AidType.EDUCATION, "金秋助学", (1000, 2000)),
    (AidType.FESTIVAL, "春节慰问", (200, 300, 500)),
)
AID_WEIGHTS = (40, 20, 15, 10, 15)
REVERSED_SHARE = 0.01
COMPANIES = 5
GRASSROOTS_PER_COMPANY = 9
REGIONS = ["230103", "230104", "230108", "230302", "230303", "230304", "230102"]


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
        household_ids = self.households(households, grassroots)
        self.log(f"{len(household_ids)} households with members, income and causes", started)
        self.applications(household_ids)
        self.log("applications", started)
        self.ledger(household_ids, companies, years)
        self.log("ledger", started)
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

    def _id(self, birth, sex, serial):
        region = REGIONS[serial % len(REGIONS)]
        seq = (serial % 450) * 2 + (1 if sex == "M" else 0)
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        return first17 + check_character(first17)

    def households(self, count, grassroots):
        rng = self.rng
        categories = list(Household.Category.values)
        statuses = [Household.Status.IN_FILE] * 17 + [
            Household.Status.EXITED,
            Household.Status.DRAFT,
            Household.Status.CANCELLED,
        ]
        ids = []
        for start in range(0, count, BATCH):
            rows, members, incomes, causes, causes_of = [], [], [], [], {}
            for n in range(start, min(count, start + BATCH)):
                sex = "M" if rng.random() < 0.76 else "F"
                # Unique ID numbers: each birth date carries 450 sequence numbers.
                birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=(n // 450) * 59)
                status = rng.choice(statuses)
                established = datetime.date(self.first_year, 1, 1) - datetime.timedelta(
                    days=rng.randint(30, 900)
                )
                union = grassroots[n % len(grassroots)]
                causes_of[f"{union.code}-B-{n:07d}"] = picked = rng.sample(
                    [Cause.ILLNESS, Cause.EDUCATION, Cause.LOW_INCOME, Cause.UNEMPLOYMENT], 2
                )
                rows.append(
                    Household(
                        file_number=f"{union.code}-B-{n:07d}",
                        union=union,
                        worker_name=f"职工{n}",
                        gender=sex,
                        id_number=self._id(birth, sex, n),
                        phone=f"139{n:08d}",
                        employer=union.name,
                        employment_status=rng.choice(Household.EmploymentStatus.values),
                        category=rng.choice(categories),
                        level=rng.choice(Household.Level.values),
                        status=status,
                        established_on=None if status == Household.Status.DRAFT else established,
                        exited_on=self.today if status == Household.Status.EXITED else None,
                        cancelled_on=self.today if status == Household.Status.CANCELLED else None,
                        review_due_on=self.today + datetime.timedelta(days=rng.randint(-200, 300)),
                        housing=Household.Housing.OWN,
                        bank_account=f"6217{n:015d}",
                        main_cause=main_cause_by_default(picked),
                    )
                )
            Household.objects.bulk_create(rows, batch_size=BATCH)
            created = list(
                Household.objects.filter(file_number__in=[r.file_number for r in rows]).values_list(
                    "pk", "file_number"
                )
            )
            for pk, file_number in created:
                for m in range(3):
                    members.append(
                        Member(
                            household_id=pk,
                            name=f"成员{pk}-{m}",
                            relation=[
                                Member.Relation.SPOUSE,
                                Member.Relation.CHILD,
                                Member.Relation.PARENT,
                            ][m],
                            birth_date=datetime.date(1960 + m * 20, 1, 1 + m),
                            employment=Member.Employment.UNEMPLOYED,
                            school_stage=Member.SchoolStage.HIGH
                            if m == 1
                            else Member.SchoolStage.NONE,
                            monthly_income=Decimal(rng.choice([0, 0, 300, 600])),
                        )
                    )
                incomes.append(
                    IncomeItem(
                        household_id=pk,
                        source="wages",
                        monthly_amount=Decimal(rng.randint(800, 1600)),
                    )
                )
                for cause in causes_of[file_number]:
                    causes.append(HardshipCause(household_id=pk, cause=cause))
            Member.objects.bulk_create(members, batch_size=BATCH)
            IncomeItem.objects.bulk_create(incomes, batch_size=BATCH)
            HardshipCause.objects.bulk_create(causes, batch_size=BATCH)
            ids.extend(pk for pk, _ in created)
        return ids

    def applications(self, household_ids):
        rng = self.rng
        actor = User.objects.get(username="bench_auditor")
        states = [s for s, _label in Application.State.choices]
        counter = 0
        for start in range(0, len(household_ids), BATCH // 2):
            rows = []
            for pk in household_ids[start : start + BATCH // 2]:
                for _k in range(2):
                    counter += 1
                    state = rng.choice(states)
                    rows.append(
                        Application(
                            number=f"BENCH-{counter:07d}",
                            household_id=pk,
                            kind=Application.Kind.EMERGENCY,
                            reason="基准测试数据",
                            amount=Decimal(rng.randint(5, 80) * 100),
                            state=state,
                            filed_by=actor,
                            effective_on=self.today
                            if state == Application.State.EFFECTIVE
                            else None,
                        )
                    )
            Application.objects.bulk_create(rows, batch_size=BATCH)
        self._decisions()

    def _decisions(self):
        """One submit decision per application, chained like real ones. The decision records
        the application's kind, amount and (generated) state, as verify_integrity expects."""
        linker = chain.BulkLinker(Decision.CHAIN)
        batch, last = [], None
        rows = Application.objects.order_by("pk").values_list(
            "pk", "round", "kind", "amount", "state"
        )
        for app_pk, round_, kind, amount, state in rows.iterator(chunk_size=BATCH):
            decision = Decision(
                application_id=app_pk,
                round=round_,
                step="submitted",
                action="submit",
                application_kind=kind,
                application_amount=amount,
                resulting_state=state,
            )
            linker.add(decision)
            batch.append(decision)
            if len(batch) >= BATCH:
                last = Decision.objects.bulk_create(batch)[-1]
                batch = []
        if batch:
            last = Decision.objects.bulk_create(batch)[-1]
        linker.finish(last_id=last.pk if last else None)

    def ledger(self, household_ids, companies, years):
        """Receipts that cover every payment, ten payments per household of several aid types,
        and one in a hundred reversed, all in one chain."""
        rng = self.rng
        finance = {c.pk: User.objects.get(username=f"{c.code.lower()}_finance") for c in companies}
        union_company = dict(
            Unit.objects.filter(kind=Unit.Kind.GRASSROOTS).values_list("pk", "parent_id")
        )
        household_union = dict(Household.objects.values_list("pk", "union_id"))
        main_cause = dict(Household.objects.values_list("pk", "main_cause"))
        names = dict(Household.objects.values_list("pk", "worker_name"))
        id_numbers = dict(Household.objects.values_list("pk", "id_number"))
        # Every payment pays an application (the ledger's own constraint): the household's first.
        application_of = {}
        for household, application in Application.objects.order_by("pk").values_list(
            "household_id", "pk"
        ):
            application_of.setdefault(household, application)
        funds = {}
        for company in companies:
            for year in range(self.first_year, self.first_year + years):
                funds[company.pk, year] = Fund.objects.create(
                    name="帮扶资金",
                    source=Fund.Source.GROUP,
                    year=year,
                    unit=company,
                    aid_types=list(AidType.values),
                )
        per_fund = {}
        payments = []
        start = datetime.date(self.first_year, 1, 1)
        span = (self.today - start).days + 1
        for pk in household_ids:
            company = union_company[household_union[pk]]
            for _p in range(10):
                # Any day from the first year's 1 January up to today: none in the future.
                # History written in bulk, not through the services: the back-dating window
                # (a service rule) does not apply; the ledger trigger's guards do (no future
                # date, no closed year) and hold, as no year is closed here.
                day = start + datetime.timedelta(days=rng.randrange(span))
                year = day.year
                aid_type, note, amounts = rng.choices(AID_MIX, weights=AID_WEIGHTS)[0]
                amount = Decimal(rng.choice(amounts))
                payments.append((day, company, year, pk, amount, aid_type, note))
                per_fund[company, year] = per_fund.get((company, year), Decimal("0")) + amount
        payments.sort()
        linker = chain.BulkLinker(LedgerEntry.CHAIN)
        batch, voucher = [], 0

        def add(entry):
            linker.add(entry)
            batch.append(entry)
            if len(batch) >= BATCH:
                LedgerEntry.objects.bulk_create(batch)
                batch.clear()

        for (company, year), total in sorted(
            per_fund.items(), key=lambda item: (item[0][1], item[0][0])
        ):
            voucher += 1
            add(
                LedgerEntry(
                    fund=funds[company, year],
                    kind="receipt",
                    amount=total,
                    voucher=f"R{voucher:08d}",
                    posted_on=datetime.date(year, 1, 1),
                    note="拨付",
                    recorded_by=finance[company],
                )
            )
        to_reverse = []
        for day, company, year, pk, amount, aid_type, note in payments:
            voucher += 1
            entry = LedgerEntry(
                fund=funds[company, year],
                kind="payment",
                amount=-amount,
                voucher=f"P{voucher:08d}",
                posted_on=day,
                note=note,
                recorded_by=finance[company],
                household_id=pk,
                aid_type=aid_type,
                application_id=application_of[pk],
                payee_name=names[pk],
                payee_id_number=id_numbers[pk],
                method="bank",
                bank_account=f"6217{pk:015d}",
                union_id=household_union[pk],
                main_cause=main_cause[pk],
            )
            add(entry)
            if rng.random() < REVERSED_SHARE:
                to_reverse.append(entry)
        LedgerEntry.objects.bulk_create(batch)
        batch.clear()
        # Reversals weeks later (some in the next year), recorded after the payments as a
        # finance office would: they exercise the report's "still standing at year end".
        for entry in to_reverse:
            later = entry.posted_on + datetime.timedelta(days=rng.randint(3, 60))
            add(
                LedgerEntry(
                    fund_id=entry.fund_id,
                    kind="reversal",
                    amount=-entry.amount,
                    voucher=f"{entry.voucher}-CX",
                    posted_on=min(later, self.today),  # never before its payment: both ≤ today
                    note="收款账户有误，冲销",
                    recorded_by_id=entry.recorded_by_id,
                    reverses_id=entry.pk,
                    household_id=entry.household_id,
                    aid_type=entry.aid_type,
                    application_id=entry.application_id,
                )
            )
        LedgerEntry.objects.bulk_create(batch)
        last = LedgerEntry.objects.order_by("-chain_position").values_list("pk", flat=True).first()
        linker.finish(last_id=last)
        for fund in funds.values():
            fund.balance = (
                LedgerEntry.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or 0
            )
            fund.save(update_fields=["balance"])
        # The rows went in bulk, behind the services: sum the year totals once.
        totals.rebuild()
