"""Background work of the audit app: the worker (`manage.py db_worker`) runs it."""

from django_tasks import task

from audit import kept


@task()
def keep_checks(scope: str) -> None:
    """Count the integrity checks of a wide scope and keep them (audit.kept)."""
    kept.count(scope)
