"""Where export files and roster uploads waiting to be imported are kept: the "exports"
storage (settings.STORAGES), so the web servers and the workers of a multi-server
deployment share them (a shared mount, or object storage through django-storages).

Names are the storage's own ("<job id>.xlsx", "imports/<random>.xlsx"); nothing a
browser sends ever becomes one. Jobs made before the storage existed recorded absolute
paths under EXPORT_DIR: `stored_name` still reads those."""

import os
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property

IMPORTS = "imports"
NAME = re.compile(r"^(imports/)?[0-9A-Za-z_-]+\.xlsx$")


class ExportStorage(FileSystemStorage):
    """The local default: EXPORT_DIR, files readable by the service account only (they
    hold personal data), followed when the setting changes (tests move it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.EXPORT_DIR)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "EXPORT_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def _save(self, name, content):
        # The folder itself owner-only, even when it existed before (a mount point).
        Path(self.location).mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.location, 0o700)
        return super()._save(name, content)


def exports():
    return storages["exports"]


def stored_name(value: str) -> str | None:
    """The storage name a job or a session recorded, or None if it is not one of ours."""
    value = str(value or "")
    if os.path.isabs(value):  # recorded before the storage: only under EXPORT_DIR
        root = Path(settings.EXPORT_DIR).resolve()
        path = Path(value).resolve()
        if root not in path.parents:
            return None
        value = path.relative_to(root).as_posix()
    return value if NAME.match(value) else None


def save(name: str, fileobj) -> str:
    """Store a finished local file under `name`; returns the name actually used."""
    fileobj.seek(0)
    return exports().save(name, File(fileobj, name=name))


def scratch():
    """A local file to write an export into before it is stored: owner-only, and gone
    when closed (whatever happens to the job)."""
    return tempfile.NamedTemporaryFile(suffix=".xlsx")


def import_name(token: str) -> str:
    return f"{IMPORTS}/{token}.xlsx"
