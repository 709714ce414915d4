"""Verified tokens are remembered (``security.VERIFIED_TOKENS``), and nothing that could change is.

A token verified once is not verified again on its next use, but its expiry is checked on every use, a
forged or tampered token is refused on every use, and a token signed with another secret is another entry.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tixmo import security
from tixmo.security import (
    TokenError,
    create_access_token,
    create_scanner_token,
    decode_access_token,
    decode_scanner_token,
)

SECRET = "a-test-secret-that-is-long-enough-for-hs256-0123456789"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(security, "utcnow", clock)
    return clock


def test_a_scanner_token_is_verified_once_and_its_expiry_checked_on_every_use(clock: Clock) -> None:
    scanner_id, event_id = uuid.uuid4(), uuid.uuid4()
    token, expires_at = create_scanner_token(SECRET, scanner_id, event_id, timedelta(minutes=5))
    security._verified_scanner_token.cache_clear()

    first = decode_scanner_token(SECRET, token)
    second = decode_scanner_token(SECRET, token)
    assert (first.scanner_id, first.event_id) == (scanner_id, event_id)
    assert second is first  # not decoded again
    info = security._verified_scanner_token.cache_info()
    assert (info.hits, info.misses) == (1, 1)

    clock.now = expires_at  # expiry is exclusive, as PyJWT's: at exp the token has expired
    with pytest.raises(TokenError, match="expired"):
        decode_scanner_token(SECRET, token)
    clock.now = expires_at - timedelta(seconds=1)
    assert decode_scanner_token(SECRET, token) is first


def test_an_access_token_expires_after_it_was_remembered(clock: Clock) -> None:
    token, expires_at = create_access_token(SECRET, uuid.uuid4(), "CUSTOMER", timedelta(minutes=15))
    assert decode_access_token(SECRET, token).role == "CUSTOMER"
    clock.now = expires_at + timedelta(seconds=1)
    with pytest.raises(TokenError, match="expired"):
        decode_access_token(SECRET, token)


def test_forged_tampered_and_other_secret_tokens_are_refused_every_time() -> None:
    token, _ = create_scanner_token(SECRET, uuid.uuid4(), uuid.uuid4(), timedelta(minutes=5))
    decode_scanner_token(SECRET, token)  # the genuine one is remembered
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    forged = jwt.encode(
        {**jwt.decode(token, options={"verify_signature": False}), "evt": str(uuid.uuid4())},
        "another-secret-that-is-long-enough-for-hs256-0123456789",
        algorithm="HS256",
    )
    for _ in range(2):
        for bad in (tampered, forged):
            with pytest.raises(TokenError, match="invalid"):
                decode_scanner_token(SECRET, bad)
    # The same token under another secret (a rotated key) is checked again, and refused.
    with pytest.raises(TokenError, match="invalid"):
        decode_scanner_token("another-secret-that-is-long-enough-for-hs256-0123456789", token)


def test_a_token_of_the_other_kind_is_refused_after_its_own_kind_was_remembered() -> None:
    access, _ = create_access_token(SECRET, uuid.uuid4(), "ADMIN", timedelta(minutes=15))
    decode_access_token(SECRET, access)
    with pytest.raises(TokenError):
        decode_scanner_token(SECRET, access)
    scanner, _ = create_scanner_token(SECRET, uuid.uuid4(), uuid.uuid4(), timedelta(minutes=5))
    decode_scanner_token(SECRET, scanner)
    with pytest.raises(TokenError):
        decode_access_token(SECRET, scanner)


def test_an_already_expired_token_is_refused_and_not_remembered() -> None:
    token, _ = create_scanner_token(SECRET, uuid.uuid4(), uuid.uuid4(), timedelta(seconds=-1))
    security._verified_scanner_token.cache_clear()
    with pytest.raises(TokenError, match="expired"):
        decode_scanner_token(SECRET, token)
    assert security._verified_scanner_token.cache_info().currsize == 0
