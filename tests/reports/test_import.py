"""Importing a household roster from Excel: template, row-by-row validation with a preview,
an error workbook that marks each bad cell, and a commit that writes every row or none."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.test import override_settings
from django.urls import include, path, reverse
from factories import HouseholdFactory, make_id_number
from openpyxl import Workbook, load_workbook

from hardship import urls as project_urls
from hardship.idnumber import check_character
from households.models import HardshipCause, Household, IncomeItem
from reports import import_format, import_workbooks, imports
from reports.models import Job

# The project's URLs, with the import pages included if hardship/urls.py does not yet.
urlpatterns = list(project_urls.urlpatterns)
if not any(
    getattr(getattr(p, "urlconf_name", None), "__name__", None) == "reports.import_urls"
    for p in urlpatterns
):
    urlpatterns.append(path("reports/import/", include("reports.import_urls")))

pytestmark = [pytest.mark.urls(__name__)]

HEADERS = [c.header for c in import_format.COLUMNS]
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings.EXPORT_DIR


def uploads(export_dir):
    directory = export_dir / "imports"
    return sorted(directory.glob("*.xlsx")) if directory.exists() else []


def worker_id(n: int, sex: str = "M") -> str:
    return make_id_number(datetime.date(1980, 1, 1) + datetime.timedelta(days=n), seq=n, sex=sex)


def good_row(n: int, **changes) -> dict:
    row = {
        "基层工会编码": "G1a",
        "职工姓名": f"导入职工{n}",
        "性别": "男",
        "身份证号": worker_id(n),
        "联系电话": f"1390000{n:04d}",
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
    row.update(changes)
    return row


def xlsx(rows, headers=HEADERS, *, text_cells=()) -> bytes:
    """A workbook like one filled in from the template: the header row, then the rows.
    `text_cells` are (row index, header) whose value is stored as text whatever it reads."""
    wb = Workbook()
    ws = wb.active
    ws.title = import_format.DATA_SHEET
    ws.append(headers)
    for index, row in enumerate(rows):
        ws.append([row.get(h) for h in headers])
        for r, header in text_cells:
            if r == index:
                ws.cell(row=index + 2, column=headers.index(header) + 1).data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="台账.xlsx"):
    return client.post(
        reverse("roster_import"), {"file": _named(content, name)}, format="multipart"
    )


def _named(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def preview_of(content: bytes, user) -> import_format.Preview:
    return imports.parse_and_validate(io.BytesIO(content), user)


def stored(content: bytes, export_dir) -> str:
    directory = export_dir / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "0123456789abcdef0123456789abcdef.xlsx"
    target.write_bytes(content)
    return str(target)


@pytest.fixture
def signed_in(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    return client


# --------------------------------------------------------------------------- template


def test_template_has_the_columns_an_example_and_instructions(signed_in, org):
    response = signed_in.get(reverse("roster_import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [import_format.DATA_SHEET, "填写说明"]
    ws = wb[import_format.DATA_SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert "档案编号" not in HEADERS
    assert ws["D2"].value == import_format.EXAMPLE_ID
    assert ws.column_dimensions["D"].number_format == "@"  # IDs typed in stay text
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["H2"] == '"在职,离退休,解除劳动合同,下岗失业"'
    assert lists["I2"] == '"低保户,低保边缘户,意外致困户"'
    assert lists["J2"] == '"困难,特困"'
    assert lists["L2"] == '"自有住房,廉租房,租房,与父母同住,其他"'
    instructions = " ".join(
        str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value
    )
    for needed in ("因病", "企业停产半停产", "G1a", "机修车间工会", "12至19位数字"):
        assert needed in instructions
    assert "G2a" not in instructions  # only the unions this person may file in


def test_the_untouched_template_has_no_rows_to_import(caseworker_g1a):
    content = import_workbooks.template_workbook()
    with pytest.raises(imports.ValidationError, match="没有数据行"):
        preview_of(content, caseworker_g1a)


def test_the_example_row_is_skipped_when_left_in(caseworker_g1a):
    wb = load_workbook(io.BytesIO(import_workbooks.template_workbook()))
    ws = wb[import_format.DATA_SHEET]
    ws.append([good_row(1)[h] for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = preview_of(buffer.getvalue(), caseworker_g1a)
    assert preview.skipped_example
    assert (preview.total, preview.good_count, preview.errors) == (1, 1, [])


# --------------------------------------------------------------------------- good file


def test_good_file_writes_every_row_in_file_with_history(
    signed_in, caseworker_g1a, org, export_dir
):
    rows = [
        good_row(1),
        good_row(
            2, 性别="女", 身份证号=worker_id(2, "F"), 就业状态="离退休", 致困原因="因残,低收入"
        ),
        good_row(
            3,
            基层工会编码="G1a",
            建档日期="2023/12/5",
            职工本人月收入=None,
            帮扶资金银行卡号="6222020200112233",
        ),
    ]
    response = upload(signed_in, xlsx(rows))
    assert response.status_code == 200
    assert response.templates[0].name == "reports/import_preview.html"
    preview = response.context["preview"]
    assert (preview.total, preview.good_count, preview.bad_count) == (3, 3, 0)
    assert "确认导入" in response.content.decode()
    assert Household.objects.count() == 0  # the preview writes nothing

    response = signed_in.post(reverse("roster_import_commit"))
    assert response.status_code == 302
    assert response["Location"] == reverse("household_list")
    followed = signed_in.get(response["Location"])
    assert "已导入 3 户" in followed.content.decode()

    households = Household.objects.order_by("worker_name")
    assert households.count() == 3
    assert set(households.values_list("status", flat=True)) == {Household.Status.IN_FILE}
    year = datetime.date.today().year
    assert sorted(households.values_list("file_number", flat=True)) == [
        f"G1a-{year}-0001",
        f"G1a-{year}-0002",
        f"G1a-{year}-0003",
    ]
    first, second, third = households
    assert first.established_on == datetime.date(2024, 3, 1)
    # The annual review falls due a year after filing, as when a file is established.
    assert first.review_due_on == datetime.date(2025, 3, 1)
    assert third.established_on == datetime.date(2023, 12, 5)
    assert third.bank_account == "6222020200112233"
    assert first.union == org.g1a and first.created_by == caseworker_g1a
    assert (first.gender, second.gender) == ("M", "F")
    assert second.employment_status == Household.EmploymentStatus.RETIRED
    assert sorted(c.cause for c in first.causes.all()) == ["education", "illness"]
    assert sorted(c.cause for c in second.causes.all()) == ["disability", "low_income"]
    assert [(i.source, i.monthly_amount) for i in first.income_items.all()] == [
        (IncomeItem.Source.WAGES, Decimal("1800.00"))
    ]
    assert [i.source for i in second.income_items.all()] == [IncomeItem.Source.PENSION]
    assert not third.income_items.exists()

    for model in (Household, HardshipCause, IncomeItem):
        records = model.history.all()
        assert records.exists()
        assert {r.history_user_id for r in records} == {caseworker_g1a.pk}
        assert {r.history_change_reason for r in records} == {"台账导入"}
        assert {r.history_type for r in records} == {"+"}
    assert uploads(export_dir) == []  # the roster (ID numbers) is not kept once imported


def test_file_numbers_continue_the_union_sequence(caseworker_g1a, org, export_dir):
    year = datetime.date.today().year
    HouseholdFactory(union=org.g1a, file_number=f"G1a-{year}-0007")
    path = stored(xlsx([good_row(1), good_row(2)]), export_dir)
    assert imports.commit_file(path, caseworker_g1a) == 2
    assert set(
        Household.objects.filter(worker_name__startswith="导入").values_list(
            "file_number", flat=True
        )
    ) == {f"G1a-{year}-0008", f"G1a-{year}-0009"}


def test_a_reviewer_imports_into_several_unions_below(reviewer_c1, org, export_dir):
    rows = [good_row(1), good_row(2, 基层工会编码="G1b"), good_row(3)]
    assert imports.commit_file(stored(xlsx(rows), export_dir), reviewer_c1) == 3
    assert Household.objects.filter(union=org.g1a).count() == 2
    assert Household.objects.filter(union=org.g1b).count() == 1


def test_the_responsible_name_is_matched_to_a_user_where_it_can_be(
    caseworker_g1a, chair_g1a, caseworker_g2a, export_dir
):
    rows = [
        good_row(1, 帮扶责任人=" 王干事 "),  # the caseworker of G1a, spaces aside
        good_row(2, 帮扶责任人="老刘"),  # nobody's name
        good_row(3, 帮扶责任人=caseworker_g2a.full_name),  # another company's caseworker
    ]
    assert imports.commit_file(stored(xlsx(rows), export_dir), caseworker_g1a) == 3
    by_name = {h.worker_name: h for h in Household.objects.filter(worker_name__startswith="导入")}
    assert by_name["导入职工1"].responsible_user == caseworker_g1a
    assert by_name["导入职工2"].responsible_user is None
    assert by_name["导入职工2"].responsible_person == "老刘"
    assert by_name["导入职工3"].responsible_user is None
    assert by_name["导入职工1"].history.first().history_change_reason == "帮扶责任人姓名匹配"


def test_a_worker_whose_old_file_ended_may_be_filed_again(caseworker_g1a, org, export_dir):
    HouseholdFactory(exited=True, union=org.g1a, id_number=worker_id(1))
    preview = preview_of(xlsx([good_row(1)]), caseworker_g1a)
    assert preview.ok


def test_header_may_carry_marks_and_notes_and_optional_columns_may_be_missing(caseworker_g1a):
    optional = {"联系电话", "家庭住址", "帮扶资金银行卡号", "职工本人月收入"}
    headers = [f"*{h}" if h == "身份证号" else h for h in HEADERS if h not in optional]
    headers = [h.replace("性别", "性别（男/女）") for h in headers]
    row = {
        f"*{k}" if k == "身份证号" else k.replace("性别", "性别（男/女）"): v
        for k, v in good_row(1).items()
    }
    preview = preview_of(xlsx([row], headers), caseworker_g1a)
    assert preview.ok, preview.errors


# --------------------------------------------------------------------------- bad rows

WRONG_CHECK = {  # the 18th character of worker_id(2), made wrong
    "id": worker_id(2)[:17] + ("0" if worker_id(2)[17] != "0" else "1"),
    "expected": check_character(worker_id(2)[:17]),
}


@pytest.fixture
def filed_elsewhere(org):
    return HouseholdFactory(
        in_file=True, union=org.g2a, id_number=worker_id(2), file_number="G2a-X-1"
    )


BAD_ROWS = [
    ("missing name", {"职工姓名": None}, "职工姓名", "必填项"),
    ("missing cause", {"致困原因": "  "}, "致困原因", "必填项"),
    (
        "checksum",
        {"身份证号": WRONG_CHECK["id"]},
        "身份证号",
        f"第18位应为 {WRONG_CHECK['expected']}，填写的是 {WRONG_CHECK['id'][17]}",
    ),
    ("birth date in ID", {"身份证号": "230103198002300010"}, "身份证号", "不是有效日期"),
    ("ID too short", {"身份证号": "23010319800101"}, "身份证号", "应为18位"),
    ("ID stored as a number", {"身份证号": 230103198001020000}, "身份证号", "文本格式"),
    ("gender", {"性别": "女"}, "性别", "性别与身份证号不符（身份证号第17位表示男）"),
    ("unknown unit", {"基层工会编码": "NOPE"}, "基层工会编码", "“NOPE”不存在"),
    ("unit outside scope", {"基层工会编码": "G2a"}, "基层工会编码", "无权"),
    ("company, not grassroots", {"基层工会编码": "C1"}, "基层工会编码", "不是基层工会"),
    ("category", {"困难类别": "贫困户"}, "困难类别", "“贫困户”不是可选值"),
    ("level", {"困难程度": "很困难"}, "困难程度", "不是可选值"),
    ("employment", {"就业状态": "退休"}, "就业状态", "不是可选值"),
    ("housing", {"住房情况": "宿舍"}, "住房情况", "不是可选值"),
    ("cause", {"致困原因": "因病、因懒"}, "致困原因", "“因懒”不是可选的致困原因"),
    ("date", {"建档日期": "2024-02-30"}, "建档日期", "不是有效日期"),
    ("date text", {"建档日期": "去年"}, "建档日期", "不是有效日期"),
    (
        "future date",
        {"建档日期": datetime.date.today() + datetime.timedelta(days=3)},
        "建档日期",
        "晚于今天",
    ),
    ("negative income", {"职工本人月收入": -5}, "职工本人月收入", "不能为负数"),
    ("income decimals", {"职工本人月收入": "12.345"}, "职工本人月收入", "两位小数"),
    ("income text", {"职工本人月收入": "一千"}, "职工本人月收入", "不是有效金额"),
    ("income in other digits", {"职工本人月收入": "٣٠٠"}, "职工本人月收入", "0-9"),
    (
        "bank account in other digits",
        {"帮扶资金银行卡号": "٦٢٢٢٠٢١٢٣٤٥٦٧٨٩"},
        "帮扶资金银行卡号",
        "12至19位数字",
    ),
    ("bank account", {"帮扶资金银行卡号": "6222-abc"}, "帮扶资金银行卡号", "12至19位数字"),
    ("bank account short", {"帮扶资金银行卡号": "12345"}, "帮扶资金银行卡号", "12至19位数字"),
    ("phone", {"联系电话": "call me"}, "联系电话", "只能包含数字"),
    ("name too long", {"职工姓名": "名" * 51}, "职工姓名", "不能超过50个字符"),
    ("duplicate in file", {"身份证号": worker_id(1)}, "身份证号", "与第2行重复"),
]


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_row_is_reported_and_nothing_is_written(
    signed_in, caseworker_g1a, org, export_dir, changes, column, message
):
    rows = [good_row(1), good_row(2, **changes), good_row(3)]
    response = upload(signed_in, xlsx(rows))
    preview = response.context["preview"]
    assert preview.good_count == 2 and preview.bad_count == 1
    found = [(e.row, e.column, e.message) for e in preview.errors]
    assert any(r == 3 and c == column and message in m for r, c, m in found), found
    page = response.content.decode()
    assert "下载错误标注文件" in page and "确认导入" not in page

    # Nothing is written: neither through the page nor by calling the commit directly.
    response = signed_in.post(reverse("roster_import_commit"))
    assert response.status_code == 302 and response["Location"] == reverse("roster_import")
    path = stored(xlsx(rows), export_dir)
    with pytest.raises(import_format.ImportRejected, match="第3行"):
        imports.commit_file(path, caseworker_g1a)
    assert Household.objects.count() == 0
    assert HardshipCause.objects.count() == 0 and IncomeItem.objects.count() == 0


def test_id_already_in_file_in_the_database_is_refused(caseworker_g1a, household_g1a, export_dir):
    rows = [good_row(1), good_row(2, 身份证号=household_g1a.id_number, 性别="男")]
    preview = preview_of(xlsx(rows), caseworker_g1a)
    assert [(e.row, e.column) for e in preview.errors] == [(3, "身份证号")]
    # The user's own union: the file is named so it can be found.
    assert household_g1a.file_number in preview.errors[0].message
    before = Household.objects.count()
    with pytest.raises(import_format.ImportRejected):
        imports.commit_file(stored(xlsx(rows), export_dir), caseworker_g1a)
    assert Household.objects.count() == before


def test_id_of_a_draft_is_refused_too(caseworker_g1a, org):
    HouseholdFactory(union=org.g1a, id_number=worker_id(1))  # a draft on its way to filing
    preview = preview_of(xlsx([good_row(1)]), caseworker_g1a)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "身份证号")]


def test_id_filed_outside_the_users_scope_is_refused_without_naming_the_file(
    caseworker_g1a, filed_elsewhere
):
    preview = preview_of(xlsx([good_row(2)]), caseworker_g1a)
    assert len(preview.errors) == 1
    assert "另一户在档" in preview.errors[0].message
    assert filed_elsewhere.file_number not in preview.errors[0].message


def test_errors_list_row_and_column_and_several_per_row(caseworker_g1a):
    rows = [good_row(1, 职工姓名="", 困难程度="x", 职工本人月收入=-1)]
    preview = preview_of(xlsx(rows), caseworker_g1a)
    assert [(e.row, e.column) for e in preview.errors] == [
        (2, "职工姓名"),
        (2, "困难程度"),
        (2, "职工本人月收入"),
    ]


def test_integrity_error_rolls_everything_back(
    caseworker_g1a, household_g1a, export_dir, monkeypatch
):
    """Should a clash get past validation (a race), the constraint still stops it and the
    rows written before it in the same transaction are rolled back."""
    monkeypatch.setattr(imports, "_check_database", lambda rows, user: [])
    rows = [good_row(1), good_row(2), good_row(3, 身份证号=household_g1a.id_number)]
    before = (Household.objects.count(), HardshipCause.objects.count(), IncomeItem.objects.count())
    with pytest.raises(import_format.ImportRejected, match="已被他人建档"):
        imports.commit_file(stored(xlsx(rows), export_dir), caseworker_g1a)
    assert (
        Household.objects.count(),
        HardshipCause.objects.count(),
        IncomeItem.objects.count(),
    ) == before
    assert not Household.history.filter(history_change_reason="台账导入").exists()


def test_other_integrity_errors_are_not_disguised(caseworker_g1a, export_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(imports, "bulk_create_with_history", broken)
    with pytest.raises(IntegrityError):
        imports.commit_file(stored(xlsx([good_row(1)]), export_dir), caseworker_g1a)


def test_commit_validates_again_and_writes_nothing_if_data_changed(signed_in, org, export_dir):
    upload(signed_in, xlsx([good_row(1), good_row(2)]))
    # Between preview and commit, someone files worker 2 by hand.
    HouseholdFactory(in_file=True, union=org.g1a, id_number=worker_id(2))
    response = signed_in.post(reverse("roster_import_commit"))
    assert response.status_code == 302 and response["Location"] == reverse("roster_import")
    page = signed_in.get(reverse("roster_import")).content.decode()
    assert "第3行" in page and "下载错误标注文件" in page
    assert Household.objects.filter(id_number=worker_id(1)).count() == 0


# --------------------------------------------------------------------------- error workbook


def test_error_workbook_marks_each_bad_cell(signed_in):
    rows = [
        good_row(1, 家庭住址="=1+1"),
        good_row(2, 身份证号=WRONG_CHECK["id"], 困难类别="贫困户"),
        good_row(3, 家庭住址='=HYPERLINK("http://x")', 职工本人月收入=-3),
    ]
    upload(signed_in, xlsx(rows, text_cells=[(0, "家庭住址"), (2, "家庭住址")]))
    response = signed_in.get(reverse("roster_import_errors"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    assert headers == HEADERS + ["错误"]
    col = {h: i + 1 for i, h in enumerate(headers)}

    bad_id = ws.cell(row=3, column=col["身份证号"])
    assert bad_id.value == WRONG_CHECK["id"]
    assert bad_id.fill.fgColor.rgb.endswith("FFC7CE")
    assert f"第18位应为 {WRONG_CHECK['expected']}" in bad_id.comment.text
    category = ws.cell(row=3, column=col["困难类别"])
    assert category.fill.fgColor.rgb.endswith("FFC7CE") and "贫困户" in category.comment.text
    income = ws.cell(row=4, column=col["职工本人月收入"])
    assert income.fill.fgColor.rgb.endswith("FFC7CE") and "不能为负数" in income.comment.text

    good_cell = ws.cell(row=3, column=col["职工姓名"])
    assert good_cell.comment is None and not good_cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=2, column=col["错误"]).value is None  # a good row has no messages
    summary = ws.cell(row=3, column=col["错误"]).value
    assert "第3行“身份证号”" in summary and "第3行“困难类别”" in summary

    # Text that looks like a formula goes back as text, never as a formula.
    for row in (2, 4):
        cell = ws.cell(row=row, column=col["家庭住址"])
        assert cell.data_type == "s"
        assert cell.value.startswith("=")
    raw = zipfile.ZipFile(
        io.BytesIO(b"".join(signed_in.get(reverse("roster_import_errors")).streaming_content))
    )
    sheet_xml = raw.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_error_workbook_keeps_row_numbers_with_title_rows_above_the_header(caseworker_g1a):
    wb = Workbook()
    ws = wb.active
    ws.append(["机修车间工会困难职工台账"])
    ws.append([])
    ws.append(HEADERS)
    ws.append([good_row(1, 性别="女")[h] for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    preview = preview_of(content, caseworker_g1a)
    assert preview.header_row == 3
    assert [(e.row, e.column) for e in preview.errors] == [(4, "性别")]
    marked = load_workbook(
        io.BytesIO(import_workbooks.errors_workbook(io.BytesIO(content), preview))
    ).active
    assert marked["A1"].value == "机修车间工会困难职工台账"
    assert marked["C4"].fill.fgColor.rgb.endswith("FFC7CE")


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,id\n\xe5\xbc\xa0,1\n", "只接受 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel"),
        (b"PK\x03\x04 this is not really a zip", "只接受 Excel 工作簿"),
        (b"", "空"),
    ],
    ids=["csv", "xls", "broken zip", "empty"],
)
def test_files_that_are_not_xlsx_are_refused(signed_in, export_dir, content, message):
    response = upload(signed_in, content, name="台账.xlsx")
    assert response.status_code == 200
    assert response.templates[0].name == "reports/import_form.html"
    assert message in str(response.context["form"].errors["file"])
    assert uploads(export_dir) == []
    assert "roster_import" not in signed_in.session


def test_a_zip_that_is_not_a_workbook_is_refused(signed_in):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = upload(signed_in, buffer.getvalue())
    assert "只接受 Excel 工作簿" in str(response.context["form"].errors["file"])


def test_workbook_without_the_header_is_refused(signed_in):
    response = upload(signed_in, xlsx([{"a": 1}], headers=["姓名", "号码", "备注"]))
    assert "没有找到表头行" in str(response.context["form"].errors["file"])


def test_workbook_missing_a_required_column_is_refused(signed_in):
    headers = [h for h in HEADERS if h != "建档日期"]
    response = upload(signed_in, xlsx([good_row(1)], headers))
    assert "表头缺少必填列：建档日期" in str(response.context["form"].errors["file"])


def test_too_many_rows_are_refused(caseworker_g1a, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(imports.ValidationError, match="上限"):
        preview_of(xlsx([good_row(1), good_row(2), good_row(3)]), caseworker_g1a)


def test_commit_opens_only_files_the_upload_stored(caseworker_g1a, tmp_path):
    elsewhere = tmp_path / "roster.xlsx"
    elsewhere.write_bytes(xlsx([good_row(1)]))
    with pytest.raises(PermissionDenied):
        imports.commit_file(elsewhere, caseworker_g1a)


def test_commit_without_an_upload_goes_back_to_the_form(signed_in):
    response = signed_in.post(reverse("roster_import_commit"))
    assert response.status_code == 302 and response["Location"] == reverse("roster_import")
    assert Household.objects.count() == 0


# --------------------------------------------------------------------------- who may import


@pytest.mark.parametrize(
    "who", ["outsider", "finance_c1", "auditor_fed", "committee_c1", "worker_g1a"]
)
def test_only_registry_editors_may_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("roster_import")).status_code == 403
    assert (
        client.post(
            reverse("roster_import"), {"file": _named(xlsx([good_row(1)]), "a.xlsx")}
        ).status_code
        == 403
    )
    assert client.get(reverse("roster_import_template")).status_code == 403
    assert client.get(reverse("roster_import_errors")).status_code == 403
    assert client.post(reverse("roster_import_commit")).status_code == 403


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(reverse("roster_import"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_commit_file_refuses_a_user_without_an_editor_role(finance_c1, export_dir):
    with pytest.raises(PermissionDenied):
        imports.commit_file(stored(xlsx([good_row(1)]), export_dir), finance_c1)


def test_chair_may_import(client, chair_g1a):
    client.force_login(chair_g1a)
    assert client.get(reverse("roster_import")).status_code == 200


# --------------------------------------------------------------------------- background


def test_large_file_is_imported_as_a_background_job(signed_in, caseworker_g1a, export_dir):
    with override_settings(BACKGROUND_THRESHOLD_ROWS=1, TASKS=IMMEDIATE_TASKS):
        from django_tasks import task_backends

        # override_settings resets django_tasks' backend cache (its setting_changed hook).
        assert type(task_backends["default"]).__name__ == "ImmediateBackend"
        response = upload(signed_in, xlsx([good_row(1), good_row(2), good_row(3)]))
        assert response.context["background"]
        assert "后台导入" in response.content.decode()
        response = signed_in.post(reverse("roster_import_commit"))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.kind == Job.Kind.ROSTER_IMPORT and job.requested_by == caseworker_g1a
    assert job.status == Job.Status.DONE, job.message
    assert job.total == 3 and job.percent == 100
    assert "已导入 3 户" in job.message
    assert Household.objects.filter(status=Household.Status.IN_FILE).count() == 3
    assert uploads(export_dir) == []
    assert "roster_import" not in signed_in.session


def test_background_job_with_a_bad_row_fails_and_writes_nothing(caseworker_g1a, org, export_dir):
    from reports import jobs

    path = stored(xlsx([good_row(1), good_row(2)]), export_dir)
    HouseholdFactory(in_file=True, union=org.g1a, id_number=worker_id(2))
    with override_settings(TASKS=IMMEDIATE_TASKS):
        job = jobs.start(
            user=caseworker_g1a, kind=Job.Kind.ROSTER_IMPORT, params={"upload": path}, total=2
        )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "第3行“身份证号”" in job.message and not job.message.startswith("[")
    assert Household.objects.filter(id_number=worker_id(1)).count() == 0


def test_progress_is_reported(caseworker_g1a, export_dir):
    seen = []
    rows = [good_row(n) for n in range(1, 1202)]
    path = stored(xlsx(rows), export_dir)
    assert imports.commit_file(path, caseworker_g1a, progress=seen.append) == 1201
    assert seen[0] == 500 and seen[-1] == 1201
