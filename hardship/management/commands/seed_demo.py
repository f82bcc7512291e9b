"""Demo data shaped by the figures in DOMAIN.md. Safe to run again: it adds only what is
missing and never changes what is there.

The data lives with the app it belongs to (hardship.demo, households.demo, cases.demo,
funds.demo); this command runs them in order and prints the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases import demo as cases_demo
from funds import demo as funds_demo
from hardship import demo as hardship_demo
from hardship.demo import DEMO_PASSWORD, demo_pdf
from hardship.models import Role
from households import demo as households_demo
from households.models import Household


class Command(BaseCommand):
    help = (
        "Load demo data: a federation, two company unions, eight grassroots unions, one user "
        "per role per unit, policy (thresholds, caps, medical-aid tiers, evidence rules), about "
        "200 households shaped by the figures in DOMAIN.md (including the coal miner's "
        "household) and applications in every state of the chain. Idempotent: existing rows are "
        "left as they are; only missing ones are added."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data although DEBUG is off (it creates accounts with a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo data creates accounts with a "
                "published password; pass --allow-production to load it anyway (a training system)."
            )
        with transaction.atomic():
            units = hardship_demo.seed_units()
            users = hardship_demo.seed_users(units)
            hardship_demo.seed_policy(units)
            created = households_demo.seed_households(units, users)
            if created:
                households_demo.seed_screening_cases(users)
            cases_demo.seed_policy(demo_pdf)
            funds_demo.seed_policy()
            applications = cases_demo.seed_applications(demo_pdf)
            ledger_rows = funds_demo.seed_money(demo_pdf)
            app_lines = hardship_demo.run_app_steps(units, users)
        self.print_summary(users, created)
        if applications:
            self.stdout.write(
                f"{applications} demo applications added across every state of the chain."
            )
        if ledger_rows:
            self.stdout.write(
                f"{ledger_rows} ledger rows posted: receipts, three years of festival payments, "
                "relief, a reversal; and visits. Ended years closed."
            )
        for line in app_lines:
            self.stdout.write(line)

    def print_summary(self, users, created):
        total = Household.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created} households added, {total} in the database."
            )
        )
        self.stdout.write(f"\nDemo logins (password for every account: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'username':<18} {'name':<8} role · unit")
        for username, (user, role, unit) in users.items():
            self.stdout.write(
                f"{username:<18} {user.full_name:<8} {Role(role).label} · {unit.name}"
            )
