"""QR images of ticket codes (segno): PNG data URLs, rendered in a worker thread and cached.

A code changes whenever the ticket's version (barcode) or the event's signing key changes, so caching
by the code itself is caching per ticket version: a regenerated ticket never gets a stale image. The
cache is per process and only saves work; nothing depends on it.
"""

from __future__ import annotations

import base64
import io
from collections import OrderedDict

import anyio.to_thread
import segno

ERROR_CORRECTION = "h"  # 30 % of the symbol may be damaged or covered and it still reads
QUIET_ZONE = 4  # modules of white border, as the standard asks
TARGET_PIXELS = 300
PRINT_PIXELS = 600
CACHE_SIZE = 2048


def _symbol(code: str) -> segno.QRCode:
    # boost_error=False: exactly level H, never silently more (the version would grow for nothing).
    return segno.make_qr(code, error=ERROR_CORRECTION, boost_error=False)


def render_png(code: str, pixels: int = TARGET_PIXELS) -> bytes:
    """A PNG of ``code`` about ``pixels`` wide (whole pixels per module, so it stays sharp)."""
    symbol = _symbol(code)
    width, _ = symbol.symbol_size(scale=1, border=QUIET_ZONE)
    buffer = io.BytesIO()
    symbol.save(buffer, kind="png", scale=max(1, round(pixels / width)), border=QUIET_ZONE)
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class _Cache:
    """A small LRU of data URLs by code. Used from the event loop only, so it needs no lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, str] = OrderedDict()

    def get(self, code: str) -> str | None:
        value = self._items.get(code)
        if value is not None:
            self._items.move_to_end(code)
        return value

    def put(self, code: str, value: str) -> None:
        self._items[code] = value
        self._items.move_to_end(code)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


cache = _Cache(CACHE_SIZE)


async def qr_data_url(code: str) -> str:
    """The code as a ``data:image/png;base64,…`` URL (about 300 px, error correction H)."""
    cached = cache.get(code)
    if cached is not None:
        return cached
    url = data_url(await anyio.to_thread.run_sync(render_png, code))
    cache.put(code, url)
    return url
