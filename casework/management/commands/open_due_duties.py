from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.duty_jobs import open_due_duties


class Command(BaseCommand):
    help = (
        "Open the day's duties: annual reviews coming due (REVIEW_TASK_DAYS), evidence about "
        "to expire (EVIDENCE_WARNING_DAYS), the next contact of every file in file "
        "(CONTACT_DAYS); tell assignees once of each duty that fell overdue. Safe to repeat."
    )

    def handle(self, *args, **options):
        counts = open_due_duties(timezone.localdate())
        self.stdout.write(
            "Duties opened: {reviews} reviews, {renewals} renewals, {contacts} contacts; "
            "{overdue_notified} overdue notifications.".format(**counts)
        )
