"""docs/ticket-codes.md's worked example is real: it verifies, and the code makes exactly it."""

from __future__ import annotations

import base64
import contextlib
import io
import re
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tixmo.tickets import codes

DOC = (Path(__file__).resolve().parents[2] / "docs" / "ticket-codes.md").read_text()


def _value(label: str) -> str:
    match = re.search(rf"^- {re.escape(label)}: `([^`]+)`", DOC, re.MULTILINE)
    assert match, label
    return match.group(1)


EXAMPLE = re.search(r"^(TIX1\.[A-Z2-7.]+)$", DOC, re.MULTILINE)
assert EXAMPLE
CODE = EXAMPLE.group(1)
PUBLIC_KEY = base64.b64decode(_value("publicKey (base64, as the API serves it)"))


def test_the_example_verifies_with_a_plain_ed25519_library() -> None:
    head, _, signature = CODE.rpartition(".")
    raw_signature = base64.b32decode(signature + "=" * (-len(signature) % 8))
    Ed25519PublicKey.from_public_bytes(PUBLIC_KEY).verify(raw_signature, head.encode("ascii"))
    assert PUBLIC_KEY.hex() == _value("publicKey (hex)")
    assert CODE.split(".")[1] == _value("keyId") == codes.key_id(PUBLIC_KEY)


def test_the_example_is_what_tixmo_makes_for_those_claims() -> None:
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(_value("private key (seed, hex)")))
    claims = codes.TicketClaims(
        uuid.UUID("3f1c0b8e-2c55-4a86-9e60-6b1f0b1de0a1"),
        uuid.UUID("8d2e4f60-1b7a-4c3d-9e2f-5a6b7c8d9e0f"),
        1,
        "MFRGGZDFMZTWQ2LKNNWG23TPOA",
    )
    assert codes.sign(claims, private) == CODE
    assert codes.verify(CODE, PUBLIC_KEY) == claims
    payload_item = DOC.split("- payload (hex): ", 1)[1].split("\n\n", 1)[0]
    payload_hex = "".join(re.findall(r"`([0-9a-f]+)`", payload_item))
    assert codes.encode_payload(claims).hex() == payload_hex


def test_the_python_snippet_runs_and_prints_what_it_says() -> None:
    snippet = re.search(r"```python\n(.*?)```", DOC, re.DOTALL)
    assert snippet
    source = snippet.group(1).replace('"TIX1.EH7DDX5BKSRGCYTL.H4OAXDRM…"', repr(CODE))
    expected = re.findall(r"^# (.+)$", source, re.MULTILINE)[-1]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(source, "ticket-codes.md", "exec"), {})  # noqa: S102 - our own documentation
    assert output.getvalue().strip() == expected
