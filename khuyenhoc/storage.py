"""Where uploaded import files are kept: never under a public URL.

The files list people's names and addresses; only the permission-checked import views and the
background worker read them. STORAGES["private"] says where they live: by default a folder
outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT, else "private" beside MEDIA_ROOT); with
MEDIA_STORAGE=s3 a private prefix of the bucket, so that every app server and the worker see
the same files.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    @cached_property
    def base_location(self) -> str:
        default = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
            Path(settings.MEDIA_ROOT).parent / "private"
        )
        return self._value_or_setting(self._location, str(default))

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


# Only imported with MEDIA_STORAGE=s3: django-storages and boto3 are the optional "s3" extra.
def __getattr__(name: str) -> type:
    if name == "PrivateS3Storage":
        from khuyenhoc.storage_s3 import PrivateS3Storage

        return PrivateS3Storage
    raise AttributeError(name)


class PrivateStorage(LazyObject):
    """The storage of import files' FileFields: whichever backend STORAGES["private"] names.

    Resolved on first use, like Django's default_storage, so that the models and their
    migrations name one class whatever the install chooses.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]

    def deconstruct(self) -> tuple[str, tuple, dict]:
        return ("khuyenhoc.storage.PrivateStorage", (), {})
