from django.core.management.base import BaseCommand, CommandError

from cases import counts


class Command(BaseCommand):
    help = (
        "Write the applications' kept counts per union, state and kind (cases.ApplicationCount) "
        "afresh from the applications: after a restore made with triggers off. Run it with "
        "writes stopped. --check only names the differences (exit 1 if any)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check, **options):
        if check:
            found = counts.differences()
            for key, now, kept in found:
                self.stdout.write(f"{key}: counted {now}, kept {kept}")
            if found:
                raise CommandError(f"{len(found)} kept application counts differ.")
            self.stdout.write("The kept application counts agree with the applications.")
            return
        self.stdout.write(f"Application counts written: {counts.rebuild()} rows.")
