from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.notifications import send_digest


class Command(BaseCommand):
    help = (
        "E-mail each person with tasks due within 7 days or overdue one digest (Django's "
        "e-mail settings: EMAIL_BACKEND, EMAIL_HOST…). People without an address are skipped."
    )

    def handle(self, *args, **options):
        sent = send_digest(timezone.localdate())
        self.stdout.write(f"Task digests sent: {sent}.")
