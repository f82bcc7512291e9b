"""Importing outside lists: xlsx and CSV in UTF-8 or GBK, all or nothing with a row report,
wrong shape, encoding or size refused with a clear message, the column mapping remembered
per source, ID numbers normalised, every import logged."""

import pytest
from crosscheckkit import CIVIL_HEADER, civil, csv_bytes, import_file, xlsx_bytes
from django.core.exceptions import PermissionDenied, ValidationError

from crosscheck import outside, reading
from crosscheck.models import AccessLog, ColumnMapping, MatchLine, OutsideList, OutsideRow

pytestmark = pytest.mark.django_db


def test_a_gbk_csv_is_read_and_kept_with_its_source_and_date(reviewer_c1, org, household_g1a):
    data = csv_bytes(
        CIVIL_HEADER, [[household_g1a.id_number, "张建国", "低保边缘", "2024-01-01", ""]], "gbk"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    listed = import_file(reviewer_c1, org.c1, data, source="南岗区民政局")
    row = listed.rows.get()
    assert (listed.source, listed.row_count, listed.unit) == ("南岗区民政局", 1, org.c1)
    assert (row.name, row.category) == ("张建国", OutsideRow.Category.NEAR_DIBAO)
    assert AccessLog.objects.filter(outside_list=listed, action="import", user=reviewer_c1).exists()


def test_utf8_with_bom_and_xlsx_read_the_same(reviewer_c1, org, household_g1a):
    row = [household_g1a.id_number, "张建国", "低保边缘户", "2024/1/1", ""]
    from_csv = import_file(reviewer_c1, org.c1, b"\xef\xbb\xbf" + csv_bytes(CIVIL_HEADER, [row]))
    from_xlsx = import_file(reviewer_c1, org.c1, xlsx_bytes(CIVIL_HEADER, [row]), name="名单.xlsx")
    for listed in (from_csv, from_xlsx):
        got = listed.rows.get()
        assert (got.id_number, got.category, str(got.starts_on)) == (
            household_g1a.id_number,
            "near_dibao",
            "2024-01-01",
        )


def test_id_numbers_are_normalised(reviewer_c1, org, household_g1a):
    wide = household_g1a.id_number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    listed = civil(reviewer_c1, org.c1, [[wide, "张建国", "低保边缘", "", ""]])
    assert listed.rows.get().id_number == household_g1a.id_number
    assert not listed.lines.exists()  # the same person as the file, so nothing to report


def test_one_bad_row_and_nothing_is_imported_every_error_reported(reviewer_c1, org, household_g1a):
    rows = [
        [household_g1a.id_number, "张建国", "低保", "", ""],
        ["230103197503140011", "李四", "低保", "", ""],  # wrong check character
        ["", "王五", "五保", "2024-13-01", ""],
        [household_g1a.id_number, "张建国", "低保", "", ""],  # the same person twice
    ]
    with pytest.raises(outside.ImportRefused) as refused:
        civil(reviewer_c1, org.c1, rows)
    errors = {(e.row, e.column) for e in refused.value.row_errors}
    assert errors == {
        (3, "身份证号"),
        (4, "身份证号"),
        (4, "救助类别"),
        (4, "起始日期"),
        (5, "身份证号"),
    }
    assert "未导入任何数据" in refused.value.messages[0]
    assert "第4行“救助类别”：“五保”不是可识别的救助类别" in str(refused.value.row_errors[2])
    assert not OutsideList.objects.exists() and not OutsideRow.objects.exists()
    assert not MatchLine.objects.exists() and not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "文件是空的"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 Excel"),
        (b"PK\x03\x04broken", "无法读取该 Excel 文件"),
        ("身份证号\r\n230103197503140019\r\n".encode(), "只找到一列"),
        ("身份证号,姓名\r\n".encode(), "没有数据行"),
        (b"\xff\xfe\x00\x00\x81\x30\x81\xff" * 4, "字符编码"),
    ],
)
def test_a_file_of_the_wrong_shape_or_encoding_is_refused_clearly(data, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as refused:
        reading.read_table(SimpleUploadedFile("名单.csv", data))
    assert words in refused.value.messages[0]


def test_a_file_too_large_is_refused(monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as refused:
        reading.read_table(SimpleUploadedFile("名单.csv", b"a,b\r\n" * 50))
    assert "文件过大" in refused.value.messages[0]


def test_unknown_columns_ask_for_a_mapping_which_is_then_remembered(
    reviewer_c1, org, household_g1a
):
    header = ["证件号", "户主", "待遇类型"]
    data = csv_bytes(header, [[household_g1a.id_number, "张建国", "低保边缘"]])
    with pytest.raises(outside.MappingNeeded) as needed:
        import_file(reviewer_c1, org.c1, data, source="县民政局")
    assert "身份证号、姓名、救助类别" in needed.value.messages[0]
    mapping = {"id_number": "证件号", "name": "户主", "category": "待遇类型"}
    import_file(reviewer_c1, org.c1, data, source="县民政局", mapping=mapping)
    assert ColumnMapping.objects.get(kind="civil", source="县民政局").mapping == mapping
    # The next file of the same source needs no choice; another source still does.
    assert import_file(reviewer_c1, org.c1, data, source="县民政局").rows.count() == 1
    with pytest.raises(outside.MappingNeeded):
        import_file(reviewer_c1, org.c1, data, source="市民政局")


def test_only_the_reviewer_over_the_unit_imports(caseworker_g1a, auditor_fed, reviewer_c1, org):
    data = csv_bytes(CIVIL_HEADER, [["230103197503140019", "李四", "低保", "", ""]])
    for user, unit in ((caseworker_g1a, org.g1a), (auditor_fed, org.c1), (reviewer_c1, org.c2)):
        with pytest.raises(PermissionDenied):
            import_file(user, unit, data)
    assert not OutsideList.objects.exists()


def test_the_import_page_shows_the_row_report_and_imports_nothing(
    client, reviewer_c1, org, household_g1a
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(reviewer_c1)
    data = csv_bytes(
        CIVIL_HEADER,
        [[household_g1a.id_number, "张建国", "低保", "", ""], ["123", "李四", "低保", "", ""]],
        "gbk",
    )
    body = {"kind": "civil", "source": "区民政局", "list_date": "2026-06-30", "unit": org.c1.pk}
    response = client.post(
        reverse("crosscheck_import"), {**body, "file": SimpleUploadedFile("名单.csv", data)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何数据" in page and "身份证号应为18位，当前为3位。" in page
    assert not OutsideList.objects.exists()
    fixed = csv_bytes(CIVIL_HEADER, [[household_g1a.id_number, "张建国", "低保", "", ""]], "gbk")
    response = client.post(
        reverse("crosscheck_import"), {**body, "file": SimpleUploadedFile("名单.csv", fixed)}
    )
    listed = OutsideList.objects.get()
    assert response.status_code == 302 and response["Location"] == listed.get_absolute_url()
