"""Evidence files are accepted by what they contain, never by their name."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from households.models import Evidence

SIGNATURES = (
    (b"%PDF-", Evidence.ContentType.PDF),
    (b"\xff\xd8\xff", Evidence.ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Evidence.ContentType.PNG),
)
PIL_FORMATS = {Evidence.ContentType.JPEG: "JPEG", Evidence.ContentType.PNG: "PNG"}


def check_valid_until(valid_until: datetime.date | None) -> None:
    """A certificate already expired proves nothing today: it is refused at upload."""
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError(
            _("有效期至 %(date)s 已过，该证明已失效，请上传在有效期内的证明。")
            % {"date": valid_until.isoformat()},
            code="expired",
        )


def _tail(upload, size: int) -> bytes:
    upload.seek(max(0, upload.size - size))
    tail = upload.read()
    upload.seek(0)
    return tail


def sniff_evidence(upload) -> str:
    """Return the content type of an uploaded PDF, JPEG or PNG, or raise ValidationError."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = next((ct for sig, ct in SIGNATURES if head.startswith(sig)), None)
    if content_type is None:
        raise ValidationError(
            _("只接受 PDF、JPEG 或 PNG 文件；“%(name)s”的内容不是其中任何一种。")
            % {"name": upload.name},
            code="bad_type",
        )
    if content_type in PIL_FORMATS:
        try:
            with Image.open(upload) as image:
                if image.format != PIL_FORMATS[content_type]:
                    raise UnidentifiedImageError
                image.verify()
            # Pillow's verify() does not read a JPEG to its end: look for the end-of-image
            # marker near the end (phones may append a little metadata after it).
            if content_type == Evidence.ContentType.JPEG and b"\xff\xd9" not in _tail(
                upload, 65536
            ):
                raise OSError("truncated JPEG")
        # DecompressionBombError is not an OSError: a few bytes declaring a huge image
        # would otherwise end the request with a server error.
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ):
            raise ValidationError(
                _("图片“%(name)s”已损坏或无法识别。") % {"name": upload.name}, code="corrupt"
            ) from None
        finally:
            upload.seek(0)
    elif b"%%EOF" not in _tail(upload, 2048):
        raise ValidationError(
            _("PDF 文件“%(name)s”不完整或已损坏。") % {"name": upload.name}, code="corrupt"
        )
    return content_type
