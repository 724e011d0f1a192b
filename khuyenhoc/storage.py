"""Where uploaded import files are kept: outside MEDIA_ROOT, so never served by URL.

The files list people's names and addresses; only the permission-checked import views read
them. PRIVATE_MEDIA_ROOT sets the folder (default: beside MEDIA_ROOT, named "private").
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self) -> str:
        default = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
            Path(settings.MEDIA_ROOT).parent / "private"
        )
        return self._value_or_setting(self._location, str(default))

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")
