from django.core.management.base import BaseCommand

from funds.plan_notices import close_due_plan_notices


class Command(BaseCommand):
    help = (
        "Close every campaign list notice (发放名单公示) whose period ended before today and "
        "that has no open objection: finance may then post the campaign. Notices with an "
        "open objection stay open. Run daily (daily_maintenance runs it)."
    )

    def handle(self, *args, **options):
        done, held = close_due_plan_notices()
        for notice in done:
            self.stdout.write(f"closed: plan {notice.plan_id} {notice.plan.name}")
        for notice, why in held:
            self.stdout.write(f"held: plan {notice.plan_id} {notice.plan.name} — {why}")
        self.stdout.write(self.style.SUCCESS(f"{len(done)} closed, {len(held)} held back."))
