"""Files handed to the browser to save."""

import io

from django.http import FileResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str = XLSX) -> FileResponse:
    """A file to save (the browser asks where), not to show."""
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )
