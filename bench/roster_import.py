"""A roster import of many rows timed as a company reviewer does it: the preview (every row
validated, duplicates looked up in the province's files) and the commit (validated again,
then every household written in one transaction), rolled back so the data set stays as
generated."""

import datetime
import io
import time
import uuid

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from hardship.idnumber import check_character
from hardship.models import Unit, User
from reports import import_format, imports, storage

# ID numbers no generated file holds: generate_bench_data's sequence digits stop at 899.
FIRST_ORDER = 900


class _RolledBack(Exception):
    pass


def _id_number(n: int) -> str:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 50)
    first17 = f"230103{birth:%Y%m%d}{FIRST_ORDER + (n % 50) * 2 + 1:03d}"
    return first17 + check_character(first17)


def workbook(rows: int, union_codes: list[str]) -> bytes:
    """A filled-in template: `rows` households spread over `union_codes`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(import_format.DATA_SHEET)
    headers = [column.header for column in import_format.COLUMNS]
    ws.append(headers)
    for n in range(rows):
        row = {
            "基层工会编码": union_codes[n % len(union_codes)],
            "职工姓名": f"导入职工{n}",
            "性别": "男",
            "身份证号": _id_number(n),
            "联系电话": f"138{n:08d}",
            "家庭住址": "哈尔滨市南岗区学府路1号",
            "工作单位": "哈尔滨石化公司",
            "就业状态": "在职",
            "困难类别": "低保边缘户",
            "困难程度": "困难",
            "致困原因": "因病、因学",
            "住房情况": "自有住房",
            "建档日期": datetime.date(2024, 3, 1),
            "帮扶资金银行卡号": "",
            "职工本人月收入": 1800,
            "帮扶责任人": "",
        }
        ws.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def roster_import(rows: int) -> dict:
    company = Unit.objects.get(code="B0")
    reviewer = User.objects.get(username="b0_company_reviewer")
    codes = list(company.children.order_by("code").values_list("code", flat=True))
    content = workbook(rows, codes)
    started = time.perf_counter()
    preview = imports.parse_and_validate(io.BytesIO(content), reviewer)
    preview_seconds = time.perf_counter() - started
    if preview.errors:
        return {"rows": rows, "errors": [import_format.describe(e) for e in preview.errors[:5]]}
    name = storage.save(storage.import_name(uuid.uuid4().hex), io.BytesIO(content))
    figures = {}
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                written = imports.commit_file(name, reviewer)
                commit_seconds = time.perf_counter() - started
            figures = {
                "rows": written,
                "preview_seconds": round(preview_seconds, 2),
                "commit_seconds": round(commit_seconds, 2),
                "queries": len(queries),
            }
            raise _RolledBack
    except _RolledBack:
        pass
    finally:
        if storage.exports().exists(name):
            storage.exports().delete(name)
    return figures
