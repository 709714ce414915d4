"""The sender refuses private, loopback, link-local and metadata addresses when it connects (the
address it would connect to, after resolving: DNS rebinding cannot slip past a check made at save time),
follows no redirects and reads a capped response; TIXMO_WEBHOOK_ALLOW_PRIVATE lets a local receiver in."""

from __future__ import annotations

import pytest
from aiohttp import web

from tests.integrations.helpers import receiving
from tixmo.integrations import sender

BODY = b'{"id":"x"}'


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
    ],
)
async def test_private_addresses_refused(url: str) -> None:
    outcome = await sender.post(url, BODY, {}, timeout_seconds=2, allow_private=False)
    assert outcome.status is None and outcome.error is not None and outcome.error.startswith("refused")


async def test_a_name_resolving_to_a_private_address_is_refused_when_connecting() -> None:
    async with receiving() as receiver:
        # "localhost" passes the save-time check (it is a name) and resolves to loopback when connecting.
        url = receiver.url.replace("127.0.0.1", "localhost")
        sender.check_url(url, allow_private=False)
        outcome = await sender.post(url, BODY, {}, timeout_seconds=2, allow_private=False)
        assert outcome.error is not None and outcome.error.startswith("refused"), outcome
        assert receiver.received == []
        allowed = await sender.post(url, BODY, {}, timeout_seconds=2, allow_private=True)
        assert allowed.status == 200 and len(receiver.received) == 1


async def test_ipv6_loopback_reached_only_when_allowed() -> None:
    async with receiving("::1") as receiver:
        refused = await sender.post(receiver.url, BODY, {}, timeout_seconds=2, allow_private=False)
        assert refused.error is not None and refused.error.startswith("refused")
        allowed = await sender.post(receiver.url, BODY, {}, timeout_seconds=2, allow_private=True)
        assert allowed.status == 200 and len(receiver.received) == 1


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/", "http:///x"]
)
def test_only_http_urls(url: str) -> None:
    with pytest.raises(sender.Refused):
        sender.check_url(url, allow_private=True)


async def _serve(handler: web.Handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/hook"


async def test_redirects_are_not_followed_and_responses_are_capped() -> None:
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    runner, url = await _serve(redirect)
    try:
        outcome = await sender.post(url, BODY, {}, timeout_seconds=2, allow_private=True)
        assert outcome.status == 302 and not outcome.delivered
    finally:
        await runner.cleanup()

    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (5 * sender.MAX_RESPONSE_BYTES))

    runner, url = await _serve(huge)
    try:
        outcome = await sender.post(url, BODY, {}, timeout_seconds=5, allow_private=True)
        assert outcome.status == 200 and outcome.excerpt is not None
        assert len(outcome.excerpt) == sender.EXCERPT_CHARS
    finally:
        await runner.cleanup()
