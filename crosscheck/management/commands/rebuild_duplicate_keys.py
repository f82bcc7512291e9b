"""Count the suspected duplicates' keys (crosscheck.DuplicateKey) afresh from the registry.

The database's triggers keep them current; this is for a copy restored with triggers off
(session_replication_role = replica) or loaded around them. --check only compares."""

from django.core.management.base import BaseCommand, CommandError

from crosscheck import pairs


class Command(BaseCommand):
    help = "Count the suspected duplicates' keys afresh (PostgreSQL); --check only compares."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare, change nothing")

    def handle(self, *args, check=False, **options):
        if not pairs.supported():
            raise CommandError("The keys are kept only on PostgreSQL.")
        kept, fresh = pairs.kept_keys(), pairs.fresh_keys()
        differ = {key for key in kept.keys() | fresh.keys() if kept.get(key) != fresh.get(key)}
        if check:
            if differ:
                raise CommandError(f"{len(differ)} keys out of step: run without --check.")
            self.stdout.write(f"{len(kept)} keys in step.")
            return
        pairs.rebuild()
        self.stdout.write(f"{len(fresh)} keys counted; {len(differ)} were out of step.")
