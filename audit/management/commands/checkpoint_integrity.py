from django.core.management.base import BaseCommand, CommandError

from audit import checkpoint
from audit.services import verify_integrity


class Command(BaseCommand):
    help = (
        "Verify the database, then write a new checkpoint of every hash chain's head (position, "
        "id and hash of its last row), signed with INTEGRITY_HMAC_KEY, to a new owner-only "
        "file in INTEGRITY_CHECKPOINT_DIR. Run daily and copy the directory off-site. Refuses "
        "(non-zero exit, no file) when the verification fails: a checkpoint must never vouch "
        "for altered records."
    )

    def handle(self, *args, **options):
        run = verify_integrity()
        if not run.ok:
            self.stdout.write(run.report)
            raise CommandError("Integrity check FAILED: no checkpoint written.")
        path = checkpoint.write()
        self.stdout.write(f"Checkpoint written: {path}")
        for head in checkpoint.current_heads():
            self.stdout.write(
                f"  {head['name']}: {head['rows']} rows, last id={head['last_id']}, "
                f"hash {head['last_hash'][:16]}…"
            )
