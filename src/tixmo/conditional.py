"""Conditional GETs: does a request's ``If-None-Match`` name the current ETag (RFC 9110 13.1.2)?"""

from __future__ import annotations


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison, as ``If-None-Match`` asks: ``W/"x"`` matches ``"x"``; ``*`` matches anything."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag.removeprefix("W/") in candidates
