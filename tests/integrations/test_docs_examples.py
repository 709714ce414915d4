"""The verification examples of docs/webhooks.md, run against a real signed delivery."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.integrations.helpers import Received, receiving
from tests.integrations.test_webhooks import deliver_pending, make_endpoint, update_event
from tests.orders.helpers import make_shop
from tixmo.config import Settings
from tixmo.deps import AppContext

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def snippet(language: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)
    assert blocks, f"no {language} block in {DOC}"
    return str(blocks[-1])


async def delivery(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, settings: Settings
) -> tuple[str, Received]:
    shop = await make_shop(session, context)
    async with receiving() as receiver:
        endpoint_id, secret = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        await update_event(client, shop, "Docs")
        await deliver_pending(context, settings, session, endpoint_id)
        return secret, receiver.received[0]


@pytest.fixture
def hook_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, webhook_allow_private=True)


async def test_python_example(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    secret, got = await delivery(client, session, context, hook_settings)
    namespace: dict[str, Any] = {}
    exec(compile(snippet("python"), str(DOC), "exec"), namespace)  # noqa: S102 (our own documentation)
    verify = namespace["verify_tixmo_signature"]
    header = got.headers["TixMo-Signature"]
    assert verify(secret, header, got.body) is True
    assert verify("whsec_other", header, got.body) is False
    assert verify(secret, header, got.body.replace(b"Docs", b"Dogs")) is False
    stale = re.sub(r"t=\d+", "t=1000", header)
    assert verify(secret, stale, got.body) is False


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
async def test_javascript_example(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    hook_settings: Settings,
    tmp_path: Path,
) -> None:
    secret, got = await delivery(client, session, context, hook_settings)
    header = got.headers["TixMo-Signature"]
    cases = [
        [secret, header, got.body.decode()],
        ["whsec_other", header, got.body.decode()],
        [secret, header, got.body.decode().replace("Docs", "Dogs")],
        [secret, re.sub(r"t=\d+", "t=1000", header), got.body.decode()],
    ]
    script = tmp_path / "verify.js"
    script.write_text(
        snippet("javascript")
        + "\nconst cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        + "const answers = cases.map(([s, h, b]) => verifyTixmoSignature(s, h, Buffer.from(b)));\n"
        + "console.log(JSON.stringify(answers));\n"
    )
    node = shutil.which("node")
    assert node is not None
    result = await asyncio.to_thread(
        subprocess.run,
        [node, str(script)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout) == [True, False, False, False]
