from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_integrity


class Command(BaseCommand):
    help = (
        "Recompute the hash chains of the fund ledger and the approval decisions and name the "
        "first row that no longer matches (changed or removed behind the application's back, "
        "e.g. by hand in SQL). The result is kept and shown on the auditors' page. Exits "
        "non-zero when a chain is broken, so cron can alert."
    )

    def handle(self, *args, **options):
        run = verify_integrity()
        self.stdout.write(run.report)
        if not run.ok:
            raise CommandError("Integrity check FAILED: see above.")
        self.stdout.write(self.style.SUCCESS(f"Integrity check passed: {run.checked} rows."))
