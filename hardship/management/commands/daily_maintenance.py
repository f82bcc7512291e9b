from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# In this order: notices first (they write decisions), the integrity check last, so it sees
# the day's writes. The check walks the hash chains once and, if they hold, writes the
# checkpoint from that walk (checkpoint_integrity alone would walk them again). Each step is
# also a command of its own.
STEPS = [
    ("close_due_notices",),
    ("close_due_plan_notices",),
    ("purge_expired_exports",),
    ("open_due_duties",),
    ("send_task_digest",),
    ("count_registry",),
    ("keep_checks",),
    ("verify_integrity", "--write-checkpoint"),
]


class Command(BaseCommand):
    help = (
        "The daily jobs in one run: make applications effective whose public notice ended "
        "(close_due_notices), close campaign list notices that ended with no open objection "
        "(close_due_plan_notices), delete export files past their retention period "
        "(purge_expired_exports), open the day's casework duties and e-mail each person their "
        "pressing tasks (open_due_duties, send_task_digest), count the files in file of every union "
        "for the statistics (count_registry), count again the integrity checks kept for wide scopes "
        "(keep_checks), check the hash chains and, if they hold, write a signed "
        "checkpoint of their heads (verify_integrity --write-checkpoint, one walk). A failing "
        "step does not stop the others; the command exits non-zero if any failed, so the "
        "timer or cron can alert."
    )

    def handle(self, *args, **options):
        failed = []
        for name, *args in STEPS:
            self.stdout.write(f"== {name}")
            try:
                call_command(name, *args, stdout=self.stdout, stderr=self.stderr)
            except Exception as error:  # noqa: BLE001 - report it and go on with the rest
                self.stderr.write(f"{name} failed: {error}")
                failed.append(name)
        if failed:
            raise CommandError(f"Daily maintenance: {', '.join(failed)} failed (see above).")
        self.stdout.write(self.style.SUCCESS("Daily maintenance finished."))
