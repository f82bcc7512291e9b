"""Evidence files: accepted by what they contain, stored under random names, and served
only to people who may see the household."""

import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from formdata import PDF_BYTES, image_bytes

from households.models import Evidence
from households.uploads import sniff_evidence

PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims a huge picture (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def upload(client, household, name, content, *, cause="illness", kind="diagnosis"):
    return client.post(
        reverse("evidence_upload", args=[household.pk]),
        {"cause": cause, "kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


@pytest.fixture
def signed_in(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    return client


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("诊断证明.pdf", PDF_BYTES, "application/pdf"),
        ("残疾证.png", PNG, "image/png"),
        ("发票.jpg", JPEG, "image/jpeg"),
        ("scan-without-extension", JPEG, "image/jpeg"),
    ],
)
def test_a_real_pdf_png_or_jpeg_is_accepted(
    signed_in, household_g1a, caseworker_g1a, media_root, name, content, content_type
):
    response = upload(signed_in, household_g1a, name, content)

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("household_detail", args=[household_g1a.pk]) + "#evidence"
    )
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(content),
    )
    assert evidence.uploaded_by == caseworker_g1a
    assert (media_root / evidence.file.name).read_bytes() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "x.pdf",
            "这不是PDF，只是一段文字。".encode(),
            "只接受 PDF、JPEG 或 PNG 文件；“x.pdf”的内容不是其中任何一种。",
        ),
        ("x.pdf", PNG[:40], "图片“x.pdf”已损坏或无法识别。"),
        ("scan.png", PNG[:8] + b"\x00" * 64, "图片“scan.png”已损坏或无法识别。"),
        ("photo.jpg", JPEG[:3] + b"garbage" * 10, "图片“photo.jpg”已损坏或无法识别。"),
        ("half.pdf", PDF_BYTES[:40], "PDF 文件“half.pdf”不完整或已损坏。"),
        ("bomb.png", png_declaring(30000, 30000), "图片“bomb.png”已损坏或无法识别。"),
        ("empty.pdf", b"", "所提交的是空文件。"),
    ],
    ids=[
        "text-named-pdf",
        "truncated-png-named-pdf",
        "png-corrupt",
        "jpeg-corrupt",
        "truncated-pdf",
        "decompression-bomb",
        "empty",
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_not_stored(
    signed_in, household_g1a, media_root, name, content, message
):
    response = upload(signed_in, household_g1a, name, content)

    assert response.status_code == 400
    assert message in form_errors(response)
    assert "文件未保存，请更正后重新选择文件上传。" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_an_oversized_file_is_refused_and_not_stored(signed_in, household_g1a, media_root):
    response = upload(signed_in, household_g1a, "big.pdf", PDF_BYTES + b" " * 100)

    assert response.status_code == 400
    assert any(
        m.startswith("文件过大") and "上限为 100\xa0字节" in m for m in form_errors(response)
    )
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_evidence_for_a_cause_the_household_does_not_have_is_refused(signed_in, household_g1a):
    response = upload(signed_in, household_g1a, "录取通知书.pdf", PDF_BYTES, cause="education")
    assert response.status_code == 400
    assert "cause" in response.context["form"].errors
    assert not Evidence.objects.exists()


def test_the_stored_path_reveals_nothing_of_the_original_name(signed_in, household_g1a, media_root):
    # A browser may send any file name; the parser and the storage must both ignore its path.
    boundary = "BoUnDaRy"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="cause"\r\n\r\nillness\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="kind"\r\n\r\ndiagnosis\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../etc/passwd.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF_BYTES
        + f"\r\n--{boundary}--\r\n".encode()
    )

    response = signed_in.post(
        reverse("evidence_upload", args=[household_g1a.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert re.fullmatch(rf"evidence/{household_g1a.pk}/[0-9a-f]{{32}}", evidence.file.name)
    assert "passwd" not in evidence.file.name
    assert "/" not in evidence.original_name
    stored = [p for p in media_root.parent.rglob("*") if p.is_file()]
    assert stored == [media_root / evidence.file.name]


def test_two_uploads_of_the_same_name_are_kept_apart(signed_in, household_g1a, media_root):
    upload(signed_in, household_g1a, "诊断证明.pdf", PDF_BYTES)
    upload(signed_in, household_g1a, "诊断证明.pdf", PDF_BYTES + b"%%EOF\n")
    first, second = Evidence.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert (media_root / first.file.name).read_bytes() == PDF_BYTES


def test_an_uploaded_file_is_listed_and_downloadable_in_scope(
    signed_in, client, household_g1a, committee_c1
):
    upload(signed_in, household_g1a, "诊断证明.pdf", PDF_BYTES)
    evidence = Evidence.objects.get()
    download_url = reverse("evidence_download", args=[evidence.pk])
    assert download_url in signed_in.get(household_g1a.get_absolute_url()).content.decode()

    client.force_login(committee_c1)
    response = client.get(download_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        "filename*=utf-8''%E8%AF%8A%E6%96%AD%E8%AF%81%E6%98%8E.pdf"
        in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


@pytest.mark.parametrize("role", ["auditor_fed", "finance_c1"])
def test_finance_and_audit_cannot_open_the_documents(client, request, evidence_g1a, role):
    client.force_login(request.getfixturevalue(role))
    download_url = reverse("evidence_download", args=[evidence_g1a.pk])
    assert (
        download_url not in client.get(evidence_g1a.household.get_absolute_url()).content.decode()
    )
    assert client.get(download_url).status_code == 403


def test_another_unions_user_gets_404_for_the_file(client, evidence_g1a, caseworker_g2a):
    client.force_login(caseworker_g2a)
    assert client.get(reverse("evidence_download", args=[evidence_g1a.pk])).status_code == 404


def test_a_file_missing_on_disk_is_404_not_500(client, evidence_g1a, caseworker_g1a, media_root):
    (media_root / evidence_g1a.file.name).unlink()
    client.force_login(caseworker_g1a)
    assert client.get(reverse("evidence_download", args=[evidence_g1a.pk])).status_code == 404


def test_deleting_evidence_keeps_the_file_for_the_record(
    client, evidence_g1a, caseworker_g1a, media_root
):
    client.force_login(caseworker_g1a)

    response = client.post(reverse("evidence_delete", args=[evidence_g1a.pk]))

    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert (media_root / evidence_g1a.file.name).exists()
    record = Evidence.history.filter(id=evidence_g1a.pk).latest("history_date")
    assert (record.history_type, record.history_user) == ("-", caseworker_g1a)


def test_evidence_pages_answer_get_with_405(client, household_g1a, evidence_g1a, caseworker_g1a):
    client.force_login(caseworker_g1a)
    assert client.get(reverse("evidence_upload", args=[household_g1a.pk])).status_code == 405
    assert client.get(reverse("evidence_delete", args=[evidence_g1a.pk])).status_code == 405
    assert Evidence.objects.filter(pk=evidence_g1a.pk).exists()


def test_the_content_check_refuses_an_empty_file_on_its_own():
    with pytest.raises(ValidationError) as info:
        sniff_evidence(SimpleUploadedFile("a.pdf", b""))
    assert info.value.code == "empty"
    assert info.value.messages == ["文件是空的。"]


def test_a_jpeg_cut_off_halfway_is_refused():
    data = image_bytes("JPEG")
    with pytest.raises(ValidationError, match="已损坏"):
        sniff_evidence(SimpleUploadedFile("scan.jpg", data[: len(data) // 2]))
    assert sniff_evidence(SimpleUploadedFile("scan.jpg", data)) == Evidence.ContentType.JPEG
