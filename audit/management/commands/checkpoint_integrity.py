from django.core.management.base import BaseCommand, CommandError

from audit import checkpoint
from audit.services import verify_integrity


class Command(BaseCommand):
    help = (
        "Verify the database, then write a new checkpoint of every hash chain's head (position, "
        "id and hash of its last row), signed with INTEGRITY_HMAC_KEY, to a new owner-only "
        "file in INTEGRITY_CHECKPOINT_DIR. Run daily and copy the directory off-site. Refuses "
        "(non-zero exit, no file) when the verification fails: a checkpoint must never vouch "
        "for altered records. (`verify_integrity --write-checkpoint` does the same and prints "
        "the whole report.)"
    )

    def handle(self, *args, **options):
        run = verify_integrity()
        if not run.ok:
            self.stdout.write(run.report)
            raise CommandError("Integrity check FAILED: no checkpoint written.")
        checkpoint.write_and_report(self.stdout)
