"""Signed ticket codes (``qrData``): encode, sign, parse and verify. No database, no I/O.

A code is four dot-separated parts, all in upper-case RFC 4648 base32 without padding, so that a QR
code holds it in its compact alphanumeric mode::

    TIX1.<key id>.<payload>.<signature>

* ``key id``: 16 characters, the first 10 bytes of SHA-256 over the raw 32-byte Ed25519 public key.
* ``payload``: ticket id (16 bytes, UUID) | event id (16 bytes) | ticket version (4 bytes, unsigned
  big-endian) | barcode (the rest, ASCII).
* ``signature``: Ed25519 over the ASCII bytes of ``TIX1.<key id>.<payload>`` (everything before the
  last dot).

No personal data: who holds the ticket is not in the code. ``docs/ticket-codes.md`` has a worked example.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import uuid
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "TIX1"
ALGORITHM = "Ed25519"
KEY_ID_BYTES = 10
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
_FIXED = struct.Struct(">16s16sI")  # ticket id, event id, version
MAX_BARCODE_BYTES = 64


class InvalidReason(StrEnum):
    """Why a code does not admit anyone (the ``reason`` of a validation)."""

    MALFORMED = "MALFORMED"  # not a TixMo ticket code at all
    UNKNOWN_KEY = "UNKNOWN_KEY"  # no key of the caller's events has this key id
    KEY_RETIRED = "KEY_RETIRED"  # signed with a key the organizer retired
    BAD_SIGNATURE = "BAD_SIGNATURE"  # forged or altered
    NOT_FOUND = "NOT_FOUND"  # no such ticket (or not one of the caller's events)
    REVOKED = "REVOKED"  # the ticket has a newer code (regenerated or transferred)
    WRONG_EVENT = "WRONG_EVENT"  # a ticket of another event than the one being checked
    ALREADY_USED = "ALREADY_USED"
    CANCELLED = "CANCELLED"
    EVENT_NOT_ACTIVE = "EVENT_NOT_ACTIVE"  # the event is not PUBLISHED (cancelled, completed)
    SUSPENDED = "SUSPENDED"  # its order's payment is disputed (a chargeback): no entry until it is won


class InvalidCode(Exception):
    def __init__(self, reason: InvalidReason, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class TicketClaims:
    """What a code says: which ticket, of which event, with which barcode at which version."""

    ticket_id: uuid.UUID
    event_id: uuid.UUID
    version: int
    barcode: str


@dataclass(frozen=True)
class ParsedCode:
    """A code split into its parts; its signature is not checked yet (see ``verify``)."""

    key_id: str
    claims: TicketClaims
    signed: bytes  # the signing input: ASCII of everything before the last dot
    signature: bytes


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    """Strict base32: upper case, no padding, and canonical (unused trailing bits zero), so that one
    code has exactly one spelling and no character can change without changing the bytes."""
    if not text or not text.isascii():
        raise ValueError("empty or not ASCII")
    data = base64.b32decode(text + "=" * (-len(text) % 8))
    if b32(data) != text:
        raise ValueError("not canonical base32")
    return data


def key_id(public_key: bytes) -> str:
    """The key id carried in codes: 16 base32 characters of the public key's SHA-256."""
    return b32(hashlib.sha256(public_key).digest()[:KEY_ID_BYTES])


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes_raw()


def encode_payload(claims: TicketClaims) -> bytes:
    barcode = claims.barcode.encode("ascii")
    if not 1 <= len(barcode) <= MAX_BARCODE_BYTES:
        raise ValueError("a barcode has 1 to 64 ASCII characters")
    return _FIXED.pack(claims.ticket_id.bytes, claims.event_id.bytes, claims.version) + barcode


def sign(claims: TicketClaims, private_key: Ed25519PrivateKey) -> str:
    """The code for ``claims``. Ed25519 is deterministic: the same claims and key give the same code."""
    head = f"{PREFIX}.{key_id(public_key_bytes(private_key))}.{b32(encode_payload(claims))}"
    return f"{head}.{b32(private_key.sign(head.encode('ascii')))}"


def parse(code: str) -> ParsedCode:
    """Split and decode a code (its signature unchecked); ``InvalidCode(MALFORMED)`` if it is not one."""
    parts = code.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise InvalidCode(InvalidReason.MALFORMED, "Not a TixMo ticket code.")
    _, kid, payload_text, signature_text = parts
    try:
        kid_bytes = _unb32(kid)
        payload = _unb32(payload_text)
        signature = _unb32(signature_text)
    except (ValueError, binascii.Error) as exc:
        raise InvalidCode(InvalidReason.MALFORMED, "The ticket code is not well-formed.") from exc
    too_short = len(payload) <= _FIXED.size or len(payload) > _FIXED.size + MAX_BARCODE_BYTES
    if len(kid_bytes) != KEY_ID_BYTES or len(signature) != SIGNATURE_BYTES or too_short:
        raise InvalidCode(InvalidReason.MALFORMED, "The ticket code is not well-formed.")
    ticket_id, event_id, version = _FIXED.unpack_from(payload)
    try:
        barcode = payload[_FIXED.size :].decode("ascii")
    except UnicodeDecodeError as exc:
        raise InvalidCode(InvalidReason.MALFORMED, "The ticket code is not well-formed.") from exc
    claims = TicketClaims(uuid.UUID(bytes=ticket_id), uuid.UUID(bytes=event_id), version, barcode)
    signed = code[: code.rindex(".")].encode("ascii")
    return ParsedCode(key_id=kid, claims=claims, signed=signed, signature=signature)


def check_signature(parsed: ParsedCode, public_key: bytes) -> TicketClaims:
    """The claims, when the signature is the public key's over the code; ``InvalidCode`` otherwise."""
    if len(public_key) != PUBLIC_KEY_BYTES or key_id(public_key) != parsed.key_id:
        raise InvalidCode(InvalidReason.UNKNOWN_KEY, "The code names another key.")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(parsed.signature, parsed.signed)
    except InvalidSignature as exc:
        raise InvalidCode(InvalidReason.BAD_SIGNATURE, "The ticket code's signature is not valid.") from exc
    return parsed.claims


def verify(code: str, public_key: bytes) -> TicketClaims:
    """Parse and check a code against one public key (what a scanner does offline)."""
    return check_signature(parse(code), public_key)
