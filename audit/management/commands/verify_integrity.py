from django.core.management.base import BaseCommand, CommandError

from audit import checkpoint
from audit.services import verify_integrity


class Command(BaseCommand):
    help = (
        "Recompute every hash chain (fund ledger, approval decisions, plan decisions, …) and "
        "name each row changed, removed or inserted behind the application's back; recompute "
        "every fund balance from the ledger; compare applications and plans with their last "
        "decision; and check the database against the last checkpoint written by "
        "checkpoint_integrity (or the file given with --checkpoint, e.g. the off-site copy). "
        "The result is kept and shown on the auditors' page. Exits non-zero when anything "
        "does not match, so a timer or cron can alert. With --write-checkpoint, a passing check "
        "then writes a checkpoint as checkpoint_integrity does, from the same walk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            help="check against this checkpoint file instead of the newest in "
            "INTEGRITY_CHECKPOINT_DIR",
        )
        parser.add_argument(
            "--write-checkpoint",
            action="store_true",
            help="after a passing check, write a new checkpoint (as checkpoint_integrity); "
            "none is written when the check fails",
        )

    def handle(self, *args, **options):
        run = verify_integrity(checkpoint_path=options["checkpoint"])
        self.stdout.write(run.report)
        if not run.ok:
            if options["write_checkpoint"]:
                raise CommandError("Integrity check FAILED: see above. No checkpoint written.")
            raise CommandError("Integrity check FAILED: see above.")
        self.stdout.write(self.style.SUCCESS(f"Integrity check passed: {run.checked} rows."))
        if options["write_checkpoint"]:
            checkpoint.write_and_report(self.stdout)
