"""Thumbnails looked up once per process.

sorl-thumbnail names a thumbnail after its source file and options, and an upload never
replaces a file under the same name: once made, a thumbnail's address and size never change.
A page of 13 cards would otherwise ask the cache for each of them on every build.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sorl.thumbnail.base import ThumbnailBackend
from sorl.thumbnail.images import DummyImageFile

MEMO_SIZE = 4096

_memo: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
_memo_lock = threading.Lock()


class MemoisedThumbnailBackend(ThumbnailBackend):
    def get_thumbnail(self, file_: Any, geometry_string: str, **options: Any) -> Any:
        name = getattr(file_, "name", None)
        if not isinstance(name, str) or not name:
            return super().get_thumbnail(file_, geometry_string, **options)
        key = (name, geometry_string, repr(sorted(options.items())))
        with _memo_lock:
            found = _memo.get(key)
            if found is not None:
                _memo.move_to_end(key)
                return found
        thumbnail = super().get_thumbnail(file_, geometry_string, **options)
        # A source that could not be read gives a stand-in: try again next time.
        if not isinstance(thumbnail, DummyImageFile) and thumbnail.exists():
            with _memo_lock:
                _memo[key] = thumbnail
                while len(_memo) > MEMO_SIZE:
                    _memo.popitem(last=False)
        return thumbnail


def forget_thumbnails() -> None:
    with _memo_lock:
        _memo.clear()
