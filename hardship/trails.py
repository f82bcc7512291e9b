"""Trails written by the pages that take personal data away: one export log row per file or
PDF. The auditors' pages read them (audit.views); reveals of masked values are logged by the
registry (households.services.reveal_logged)."""

from hardship.models import ExportLog


def export_logged(*, user, kind, scope, rows=None, full_identity=False) -> None:
    ExportLog.objects.create(
        user=user, kind=kind, scope=scope[:300], rows=rows, full_identity=full_identity
    )
