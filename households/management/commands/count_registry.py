from django.core.management.base import BaseCommand
from django.utils import timezone

from hardship.models import Unit
from households import composition


class Command(BaseCommand):
    help = (
        "Count the files in file of every union for today (households.composition), so the "
        "first statistics page of the day reads kept counts instead of counting the province. "
        "Run after midnight (daily_maintenance does); unions already counted today and not "
        "changed since are left as they are."
    )

    def handle(self, *args, **options):
        unions = list(Unit.objects.values_list("pk", flat=True))
        composition.counts_of_unions(unions, timezone.localdate())
        self.stdout.write(f"Registry counted for {len(unions)} units.")
