from django.core.management.base import BaseCommand

from reports.retention import purge_expired_exports, retention_days


class Command(BaseCommand):
    help = (
        "Delete generated export files older than the retention period (policy parameter "
        "导出文件保留期, 7 days when none is set) and mark their jobs expired, so the job page "
        "says so. Part of daily_maintenance."
    )

    def handle(self, *args, **options):
        jobs, strays = purge_expired_exports()
        for job in jobs:
            self.stdout.write(f"expired: job {job.pk} ({job.result_name})")
        for name in strays:
            self.stdout.write(f"removed stray file: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(jobs)} export(s) expired, {len(strays)} stray file(s) removed "
                f"(retention {retention_days()} days)."
            )
        )
