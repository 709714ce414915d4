"""Signed ticket codes without a database: round trip, tamper detection, strict parsing."""

from __future__ import annotations

import base64
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tixmo.tickets import codes
from tixmo.tickets.codes import InvalidCode, InvalidReason, TicketClaims

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def claims() -> TicketClaims:
    return TicketClaims(uuid.uuid4(), uuid.uuid4(), 3, "MFRGGZDFMZTWQ2LKNNWG23TPOA")


def _public(key: Ed25519PrivateKey) -> bytes:
    return codes.public_key_bytes(key)


def test_a_signed_code_verifies_and_gives_back_its_claims(
    key: Ed25519PrivateKey, claims: TicketClaims
) -> None:
    code = codes.sign(claims, key)

    assert codes.verify(code, _public(key)) == claims
    prefix, key_id, payload, signature = code.split(".")
    assert (prefix, key_id) == ("TIX1", codes.key_id(_public(key)))
    assert (len(key_id), len(payload), len(signature)) == (16, 100, 103)  # 10, 62 and 64 bytes
    # Only QR alphanumeric-mode characters, and nothing personal: ids, version and barcode only.
    assert set(code) <= set(BASE32 + ".1")
    assert codes.sign(claims, key) == code  # deterministic: the same ticket version, the same code


def test_changing_any_single_character_makes_the_code_invalid(
    key: Ed25519PrivateKey, claims: TicketClaims
) -> None:
    code = codes.sign(claims, key)
    public = _public(key)
    accepted = []
    for index, char in enumerate(code):
        for replacement in {"A", "B", "7", "."} - {char}:
            tampered = code[:index] + replacement + code[index + 1 :]
            try:
                codes.verify(tampered, public)
            except InvalidCode:
                continue
            accepted.append((index, replacement))
    assert accepted == []


def test_one_flipped_bit_in_the_signed_bytes_is_a_bad_signature(
    key: Ed25519PrivateKey, claims: TicketClaims
) -> None:
    code = codes.sign(claims, key)
    prefix, key_id, payload, signature = code.split(".")
    raw_payload = base64.b32decode(payload + "=" * (-len(payload) % 8))
    raw_signature = base64.b32decode(signature + "=" * (-len(signature) % 8))
    reasons = set()
    for index in range(len(raw_payload)):
        flipped = bytearray(raw_payload)
        flipped[index] ^= 0x01
        forged = f"{prefix}.{key_id}.{codes.b32(bytes(flipped))}.{signature}"
        with pytest.raises(InvalidCode) as caught:
            codes.verify(forged, _public(key))
        reasons.add(caught.value.reason)
    for index in range(len(raw_signature)):
        flipped = bytearray(raw_signature)
        flipped[index] ^= 0x80
        forged = f"{prefix}.{key_id}.{payload}.{codes.b32(bytes(flipped))}"
        with pytest.raises(InvalidCode) as caught:
            codes.verify(forged, _public(key))
        reasons.add(caught.value.reason)
    # A flipped barcode byte may stop being ASCII (MALFORMED); everything else fails the signature.
    assert InvalidReason.BAD_SIGNATURE in reasons
    assert reasons <= {InvalidReason.BAD_SIGNATURE, InvalidReason.MALFORMED}


def test_another_key_or_a_re_signed_payload_does_not_verify(
    key: Ed25519PrivateKey, claims: TicketClaims
) -> None:
    other = Ed25519PrivateKey.generate()
    code = codes.sign(claims, key)
    with pytest.raises(InvalidCode) as wrong_key:
        codes.verify(code, _public(other))
    assert wrong_key.value.reason == InvalidReason.UNKNOWN_KEY

    # An attacker with their own key, claiming to be the event's key id, still fails.
    prefix, key_id, payload, _ = code.split(".")
    head = f"{prefix}.{key_id}.{payload}"
    forged = f"{head}.{codes.b32(other.sign(head.encode()))}"
    with pytest.raises(InvalidCode) as forged_signature:
        codes.verify(forged, _public(key))
    assert forged_signature.value.reason == InvalidReason.BAD_SIGNATURE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "TIX1",
        "TIX2.AAAAAAAAAAAAAAAA.AAAA.AAAA",
        "TIX1.AAAA.AAAA.AAAA.AAAA",
        "TIX1.AAAAAAAAAAAAAAAA.AAAA.AAAA",  # too short to hold ids and a signature
        "TIX1.aaaaaaaaaaaaaaaa.AAAA.AAAA",  # lower case is not the canonical spelling
        "TIX1.AAAAAAAAAAAAAAAA.AAAA====.AAAA",  # no padding
        "TIX1.ÄÄÄÄ.AAAA.AAAA",
    ],
)
def test_anything_else_is_malformed(text: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        codes.parse(text)
    assert caught.value.reason == InvalidReason.MALFORMED


def test_a_non_canonical_spelling_of_the_same_signature_is_refused(
    key: Ed25519PrivateKey, claims: TicketClaims
) -> None:
    """The last base32 character of the signature carries 3 unused bits: setting one must not give a
    second valid spelling of the code."""
    code = codes.sign(claims, key)
    last = code[-1]
    twin = BASE32[BASE32.index(last) ^ 0b00001]
    with pytest.raises(InvalidCode) as caught:
        codes.verify(code[:-1] + twin, _public(key))
    assert caught.value.reason == InvalidReason.MALFORMED


def test_the_key_id_is_derived_from_the_public_key(key: Ed25519PrivateKey) -> None:
    public = _public(key)
    assert codes.key_id(public) == codes.key_id(bytes(public))
    assert codes.key_id(public) != codes.key_id(_public(Ed25519PrivateKey.generate()))
    assert len(public) == 32
