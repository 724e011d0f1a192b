"""The private half of S3 media (MEDIA_STORAGE=s3): a prefix of the bucket without public URLs."""

from __future__ import annotations

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def url(self, name: str | None, *args: object, **kwargs: object) -> str:
        raise ValueError("Private files have no public URL.")
