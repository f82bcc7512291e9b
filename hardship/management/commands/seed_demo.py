"""Demo data shaped by the figures in DOMAIN.md. Safe to run again: it adds only what is
missing and never changes what is there.

The data lives with the app it belongs to: every app whose AppConfig names a
`demo_module` has its `seed(run)` called, in the order of INSTALLED_APPS (the order of the
layers, so each step finds what the apps below it made in the shared `DemoRun`). An app
adds its demo data with that one attribute; the command imports no app above the core."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hardship.demo import DEMO_PASSWORD, DemoRun
from hardship.models import Role


def demo_steps() -> list:
    """Each app's demo module, in INSTALLED_APPS order."""
    return [
        import_module(config.demo_module)
        for config in apps.get_app_configs()
        if getattr(config, "demo_module", None)
    ]


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
        run = DemoRun()
        with transaction.atomic():
            for module in demo_steps():
                module.seed(run)
            for step in run.wrap_up:
                step()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.print_logins(run.users)
        for line in run.report:
            self.stdout.write(line)

    def print_logins(self, users):
        self.stdout.write(f"\nDemo logins (password for every account: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'username':<18} {'name':<8} role · unit")
        for username, (user, role, unit) in users.items():
            self.stdout.write(
                f"{username:<18} {user.full_name:<8} {Role(role).label} · {unit.name}"
            )
