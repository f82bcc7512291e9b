from django.core.management.base import BaseCommand

from cases.services import close_due_notices


class Command(BaseCommand):
    help = (
        "Make effective every application whose public notice (公示) period ended before "
        "today and that has no open objection: establishment puts the household in file, "
        "exit and cancellation end the file, aid becomes payable. Notices with an open "
        "objection are left open. Run daily from cron or a scheduled task."
    )

    def handle(self, *args, **options):
        done, held = close_due_notices()
        for application in done:
            self.stdout.write(f"effective: {application.number} {application.get_kind_display()}")
        for notice, why in held:
            self.stdout.write(f"held: {notice.application.number} — {why}")
        self.stdout.write(self.style.SUCCESS(f"{len(done)} made effective, {len(held)} held back."))
