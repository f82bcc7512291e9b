"""Helpers for the bank tests: batches through the real services, return files as the bank
would send them."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from bank import batchfile, services


def plan_batch(finance, plan, template, *, sent=True):
    batch = services.batch_from_plan(actor=finance, plan=plan, template=template)
    if sent:
        services.batch_mark_sent(actor=finance, batch=batch)
    batch.refresh_from_db()
    return batch


def lines_of(batch):
    return list(batch.lines.select_related("entry", "household").order_by("pk"))


def return_file(batch, failed: dict | None = None) -> bytes:
    """The bank's return file for `batch`: every line paid unless `failed` maps its line to
    the bank's reason."""
    return batchfile.return_file_for(batch, {line.pk: why for line, why in (failed or {}).items()})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def read_csv(content: bytes, encoding="gbk") -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode(encoding))))
