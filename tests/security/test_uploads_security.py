"""Evidence uploads, beyond tests/households/test_evidence.py: markup dressed as an image or
a PDF, PDF polyglots, hostile file names (sent raw, as a browser or a script could), large
files on the temporary-file path, and how a stored file is served back."""

import re
from urllib.parse import unquote

import pytest
from django.test import override_settings
from django.urls import reverse
from formdata import PDF_BYTES

from households.models import Evidence

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>\n"
)
# Starts like a PDF but is a web page, and never ends like a PDF.
PDF_HTML_NO_EOF = b"%PDF-1.4\n" + HTML
# Starts like a PNG, then markup.
PNG_HTML = b"\x89PNG\r\n\x1a\n" + HTML
# Starts and ends like a PDF with a web page in between: the content check cannot tell.
PDF_HTML_POLYGLOT = b"%PDF-1.4\n" + HTML + b"%%EOF\n"


def multipart(filename: str, content: bytes, *, cause="illness", kind="diagnosis"):
    """A multipart body with `filename` exactly as given (the test client would clean it)."""
    boundary = "SecUrItYbOuNdArY"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="cause"\r\n\r\n{cause}\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(client, household, filename, content):
    body, content_type = multipart(filename, content)
    return client.post(
        reverse("evidence_upload", args=[household.pk]), body, content_type=content_type
    )


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def signed_in(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    return client


@pytest.mark.parametrize(
    "name, content",
    [
        ("scan.png", HTML),
        ("scan.pdf", HTML),
        ("logo.png", SVG),
        ("logo.pdf", SVG),
        ("logo.svg", SVG),
        ("page.html", HTML),
        ("half.pdf", PDF_HTML_NO_EOF),
        ("fake.png", PNG_HTML),
    ],
    ids=[
        "html-as-png",
        "html-as-pdf",
        "svg-as-png",
        "svg-as-pdf",
        "svg",
        "html",
        "pdf-head-html-no-eof",
        "png-head-html",
    ],
)
def test_markup_under_an_image_or_pdf_name_is_refused_and_not_stored(
    signed_in, household_g1a, media_root, tmp_path, name, content
):
    response = upload(signed_in, household_g1a, name, content)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Evidence.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_pdf_that_is_also_a_web_page_is_only_ever_served_as_a_pdf(
    signed_in, household_g1a, media_root
):
    """Its first and last bytes are a PDF's, so it is stored; it goes back out as
    application/pdf that the browser must not sniff, under a policy that allows no script."""
    assert upload(signed_in, household_g1a, "report.html", PDF_HTML_POLYGLOT).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"

    response = signed_in.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_HTML_POLYGLOT


def disposition_filename(header: str) -> str:
    """The file name a browser reads from Content-Disposition (RFC 6266 / RFC 5987)."""
    assert "\r" not in header and "\n" not in header
    extended = re.fullmatch(
        r"(inline|attachment); filename\*=utf-8''([A-Za-z0-9%._~!$&'()*+,;=:@-]*)", header
    )
    if extended:
        return unquote(extended.group(2))
    quoted = re.fullmatch(r'(inline|attachment); filename="((?:[^"\\]|\\.)*)"', header)
    assert quoted, header
    return re.sub(r"\\(.)", r"\1", quoted.group(2))


LONG = "很长的文件名" * 40 + ".pdf"  # 244 characters, 724 bytes
LONGER = "a" * 300 + ".pdf"  # cut to 255 characters by Django, then to the last 200
HUGE = "很长的文件名" * 60 + ".pdf"  # 1,084 bytes: more than a multipart header may hold


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("C:\\Windows\\system32\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("a\x00b.pdf", "ab.pdf"),
        ("a\x00/../../b.pdf", "b.pdf"),
        ("tab\tand\x7fdel.pdf", "tabanddel.pdf"),
        ("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf", '"><img src=x onerror=alert(1)>.pdf'),
        ('quote\\"; filename=evil.html', 'quote"; filename=evil.html'),
        ("诊断证明（复印件）.pdf", "诊断证明（复印件）.pdf"),
        (LONG, LONG[-200:]),
        (LONGER, ("a" * 251 + ".pdf")[-200:]),
    ],
    ids=[
        "dotdot-slash",
        "dotdot-backslash",
        "windows-path",
        "absolute",
        "nul",
        "nul-then-traversal",
        "control-characters",
        "markup",
        "header-injection",
        "chinese",
        "long",
        "very-long",
    ],
)
def test_a_hostile_name_is_stored_under_a_random_name_and_served_back_quoted(
    signed_in, household_g1a, media_root, tmp_path, sent, kept
):
    response = upload(signed_in, household_g1a, sent, PDF_BYTES)
    assert response.status_code == 302, response.content.decode()[:500]

    evidence = Evidence.objects.get()
    assert evidence.original_name == kept
    assert re.fullmatch(rf"evidence/{household_g1a.pk}/[0-9a-f]{{32}}", evidence.file.name)
    path = (media_root / evidence.file.name).resolve()
    assert path.is_relative_to(media_root.resolve())
    assert stored_files(tmp_path) == [media_root / evidence.file.name]
    assert path.read_bytes() == PDF_BYTES

    page = signed_in.get(household_g1a.get_absolute_url()).content.decode()
    assert "<img src=x" not in page

    download = signed_in.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert disposition_filename(download["Content-Disposition"]) == kept
    assert b"".join(download.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    "sent",
    ["..", "../..", "..\\..", "\x00", HUGE],
    ids=["dotdot", "dotdot2", "back", "nul", "huge"],
)
def test_a_name_that_is_only_a_path_is_refused_without_a_crash(
    signed_in, household_g1a, tmp_path, sent
):
    response = upload(signed_in, household_g1a, sent, PDF_BYTES)
    assert response.status_code == 400
    if sent == HUGE:  # the request itself is malformed: Django's parser refuses it
        assert response.context is None
    else:
        assert "file" in response.context["form"].errors
    assert not Evidence.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_large_file_on_the_temporary_file_path_is_accepted_within_the_limit(
    signed_in, household_g1a, media_root, tmp_path, settings
):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE (5 MB) Django spools to a temporary file; the
    content check reads that just as well, and the temporary file goes."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    content = PDF_BYTES[:-6] + b" " * (6 * 1024 * 1024) + b"%%EOF\n"
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert upload(signed_in, household_g1a, "big.pdf", content).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.size == len(content)
    assert list((tmp_path / "spool").iterdir()) == []


@override_settings(EVIDENCE_MAX_BYTES=6 * 1024 * 1024)
def test_an_oversized_file_on_the_temporary_file_path_leaves_nothing_behind(
    signed_in, household_g1a, tmp_path, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    content = PDF_BYTES[:-6] + b" " * (7 * 1024 * 1024) + b"%%EOF\n"
    response = upload(signed_in, household_g1a, "huge.pdf", content)
    assert response.status_code == 400
    assert any(m.startswith("文件过大") for m in response.context["form"].errors["file"])
    assert not Evidence.objects.exists()
    assert stored_files(tmp_path) == []
