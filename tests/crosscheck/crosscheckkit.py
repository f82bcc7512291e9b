"""Helpers for the cross-check tests: files as an office would send them, and imports
through the real reader and service."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from crosscheck import outside, reading
from crosscheck.models import OutsideList

CIVIL_HEADER = ["身份证号", "姓名", "救助类别", "起始日期", "终止日期"]
HR_HEADER = ["身份证号", "姓名", "就业状态", "月工资", "社保状态"]


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_file(
    actor,
    unit,
    data,
    *,
    kind=OutsideList.Kind.CIVIL,
    source="区民政局",
    name="名单.csv",
    on=None,
    mapping=None,
):
    header, rows = reading.read_table(SimpleUploadedFile(name, data))
    return outside.outside_list_import(
        actor=actor,
        kind=kind,
        source=source,
        list_date=on or timezone.localdate(),
        unit=unit,
        file_name=name,
        header=header,
        rows=rows,
        chosen_mapping=mapping,
    )


def civil(actor, unit, rows, **kwargs):
    return import_file(actor, unit, csv_bytes(CIVIL_HEADER, rows), **kwargs)


def hr(actor, unit, rows, **kwargs):
    kwargs.setdefault("source", "人力资源部")
    return import_file(actor, unit, csv_bytes(HR_HEADER, rows), kind=OutsideList.Kind.HR, **kwargs)


def kinds(outside_list) -> list[str]:
    return sorted(outside_list.lines.values_list("kind", flat=True))
