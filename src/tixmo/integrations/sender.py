"""Sending one webhook: the signature, and an HTTP POST that cannot be turned against the inside network.

SSRF: only ``http``/``https``; the address actually connected to is checked when connecting (the
resolver below answers aiohttp's connector, so a name re-pointed after the endpoint was saved — DNS
rebinding — is caught), and only globally routable addresses pass unless ``TIXMO_WEBHOOK_ALLOW_PRIVATE``
(loopback, private, link-local with the 169.254.169.254 metadata address, CGNAT, ULA and other
non-global ranges are refused). No redirects are followed; at most ``MAX_RESPONSE_BYTES`` is read.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 1000
CONNECT_TIMEOUT_SECONDS = 5.0
USER_AGENT = "TixMo-Webhooks/1"


class Refused(Exception):
    """The URL or the address it leads to may not be called."""


def signature_header(secrets: Iterable[str], body: bytes, timestamp: int) -> str:
    """``t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``, one ``v1`` per secret."""
    signed = f"{timestamp}.".encode() + body
    parts = [f"t={timestamp}"]
    parts += [f"v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}" for secret in secrets]
    return ",".join(parts)


def check_address(address: str, *, allow_private: bool) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not allow_private and not ip.is_global:
        raise Refused(f"The address {ip} is not a public one.")


def check_url(url: str, *, allow_private: bool) -> None:
    """What can be checked without connecting: scheme, host, and an address written in the URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused("Only http and https URLs are allowed.")
    host = parts.hostname
    if not host:
        raise Refused("The URL has no host.")
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return  # a name: its addresses are checked when connecting (GuardedResolver)
    check_address(host, allow_private=allow_private)


class GuardedResolver(AbstractResolver):
    """Resolves like aiohttp's default and refuses when any answer is not allowed."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = DefaultResolver()
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        for answer in answers:
            check_address(answer["host"], allow_private=self._allow_private)
        return answers

    async def close(self) -> None:
        await self._inner.close()


@dataclass
class Outcome:
    status: int | None
    duration_ms: int
    excerpt: str | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


async def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout_seconds: float, allow_private: bool
) -> Outcome:
    started = time.perf_counter()

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        check_url(url, allow_private=allow_private)
    except Refused as exc:
        return Outcome(None, elapsed(), None, f"refused: {exc}")
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(allow_private), force_close=True, use_dns_cache=False
    )
    client_timeout = aiohttp.ClientTimeout(
        total=timeout_seconds, connect=min(timeout_seconds, CONNECT_TIMEOUT_SECONDS)
    )
    request_headers: dict[str, Any] = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }
    try:
        async with (
            aiohttp.ClientSession(connector=connector, timeout=client_timeout) as client,
            client.post(url, data=body, headers=request_headers, allow_redirects=False) as response,
        ):
            raw = await response.content.read(MAX_RESPONSE_BYTES)
            excerpt = raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
            return Outcome(response.status, elapsed(), excerpt, None)
    except Refused as exc:
        return Outcome(None, elapsed(), None, f"refused: {exc}")
    except TimeoutError:
        return Outcome(None, elapsed(), None, "timeout")
    except aiohttp.ClientError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, Refused):
            return Outcome(None, elapsed(), None, f"refused: {cause}")
        return Outcome(None, elapsed(), None, f"connection error: {type(exc).__name__}: {exc}"[:500])
