"""Each event's Ed25519 signing keys: created on first use, rotated, retired; private keys encrypted.

* **Lifecycle.** ``ACTIVE`` (signs new codes; at most one per event, a partial unique index backs it) →
  ``ROTATED`` (signs nothing new; codes it signed still verify) → ``RETIRED`` (its codes no longer
  verify; scanners drop its public key at their next sync). A key pair is created lazily, the first
  time a code of the event is signed or a scanner of the event downloads its offline bundle (any event
  with tickets or devices gets one; no key for events that never sell), or by a rotation.
* **At rest.** The private key (raw 32 bytes) is encrypted with AES-256-GCM under a key derived from
  the app secret (``TIXMO_SECRET_KEY``) with HKDF-SHA256; the event id and key id are the associated
  data, so a ciphertext moved to another row does not decrypt. If the app secret changes, the stored
  private keys cannot be decrypted any more: the next signing rotates the event's key (the old public
  key still verifies the codes already handed out) instead of failing.
"""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import fetch_page, utcnow
from tixmo.errors import InvalidState, NotFound
from tixmo.events import service as events
from tixmo.locks import EventLock
from tixmo.tickets import codes
from tixmo.tickets.models import SigningKey, SigningKeyStatus

NONCE_BYTES = 12
HKDF_INFO = b"tixmo/ticket-signing-keys/v1"
VERIFYING = (SigningKeyStatus.ACTIVE.value, SigningKeyStatus.ROTATED.value)


@lru_cache(maxsize=4)
def _cipher(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(secret.encode())
    return AESGCM(key)


def _associated_data(event_id: uuid.UUID, key_id: str) -> bytes:
    return event_id.bytes + key_id.encode("ascii")


def encrypt_private_key(secret: str, event_id: uuid.UUID, key_id: str, raw: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(secret).encrypt(nonce, raw, _associated_data(event_id, key_id))


def decrypt_private_key(secret: str, key: SigningKey) -> Ed25519PrivateKey:
    """The key's private key; ``InvalidTag`` when it was encrypted under another app secret."""
    blob = key.private_key_encrypted
    raw = _cipher(secret).decrypt(
        blob[:NONCE_BYTES], blob[NONCE_BYTES:], _associated_data(key.event_id, key.key_id)
    )
    return Ed25519PrivateKey.from_private_bytes(raw)


@dataclass(frozen=True)
class PublicKey:
    """A verifying key as scanners receive it (API.md sync bundle: ``publicKeys``)."""

    key_id: str
    public_key: bytes
    algorithm: str = codes.ALGORITHM

    def bundle(self) -> dict[str, str]:
        """``{keyId, algorithm: "Ed25519", publicKey}`` with the raw 32 bytes in standard base64."""
        return {
            "keyId": self.key_id,
            "algorithm": self.algorithm,
            "publicKey": base64.b64encode(self.public_key).decode("ascii"),
        }


def _new_key_values(secret: str, event_id: uuid.UUID) -> dict[str, object]:
    private = Ed25519PrivateKey.generate()
    public = codes.public_key_bytes(private)
    kid = codes.key_id(public)
    return {
        "id": uuid.uuid4(),
        "event_id": event_id,
        "key_id": kid,
        "public_key": public,
        "private_key_encrypted": encrypt_private_key(secret, event_id, kid, private.private_bytes_raw()),
        "status": SigningKeyStatus.ACTIVE.value,
        "created_at": utcnow(),
    }


async def _active(session: AsyncSession, event_id: uuid.UUID) -> SigningKey | None:
    key: SigningKey | None = await session.scalar(
        select(SigningKey)
        .where(SigningKey.event_id == event_id, SigningKey.status == SigningKeyStatus.ACTIVE.value)
        .execution_options(populate_existing=True)
    )
    return key


async def _create_if_none(session: AsyncSession, secret: str, event_id: uuid.UUID) -> uuid.UUID | None:
    """Insert an ACTIVE key unless the event has one; the new row's id, or ``None``. Concurrent first
    signings insert one key: the others wait on the unique index and then do nothing."""
    inserted: uuid.UUID | None = await session.scalar(
        insert(SigningKey)
        .values(**_new_key_values(secret, event_id))
        .on_conflict_do_nothing(index_elements=[SigningKey.event_id], index_where=text("status = 'ACTIVE'"))
        .returning(SigningKey.id)
    )
    return inserted


async def signing_key(session: AsyncSession, secret: str, event_id: uuid.UUID) -> Ed25519PrivateKey:
    """The event's ACTIVE private key, created on first use (and replaced if the app secret changed)."""
    for _ in range(3):
        key = await _active(session, event_id)
        if key is None:
            await _create_if_none(session, secret, event_id)
            continue
        try:
            return decrypt_private_key(secret, key)
        except InvalidTag:
            # Encrypted under a former app secret: keep its public key for the codes already out, and
            # sign with a new key from now on. Whoever moves it first creates the replacement.
            moved = await session.scalar(
                update(SigningKey)
                .where(SigningKey.id == key.id, SigningKey.status == SigningKeyStatus.ACTIVE.value)
                .values(status=SigningKeyStatus.ROTATED.value, rotated_at=utcnow())
                .returning(SigningKey.id)
            )
            if moved is not None:
                await _create_if_none(session, secret, event_id)
    raise RuntimeError(f"no usable signing key for event {event_id}")  # pragma: no cover


async def public_keys(session: AsyncSession, event_id: uuid.UUID) -> list[PublicKey]:
    """The keys a scanner of the event must accept (ACTIVE and ROTATED), oldest first."""
    rows = await session.execute(
        select(SigningKey.key_id, SigningKey.public_key)
        .where(SigningKey.event_id == event_id, SigningKey.status.in_(VERIFYING))
        .order_by(SigningKey.created_at, SigningKey.key_id)
    )
    return [PublicKey(key_id=kid, public_key=bytes(public)) for kid, public in rows.all()]


async def ensure_public_keys(session: AsyncSession, secret: str, event_id: uuid.UUID) -> list[PublicKey]:
    """``public_keys``, once the event has the ACTIVE key its next codes are signed with (created, or
    replaced after an app-secret change, exactly as on first signing): a scanner that syncs before any
    code was shown must still be able to verify the codes shown after."""
    await signing_key(session, secret, event_id)
    return await public_keys(session, event_id)


async def by_key_id(session: AsyncSession, key_id: str) -> SigningKey | None:
    key: SigningKey | None = await session.scalar(select(SigningKey).where(SigningKey.key_id == key_id))
    return key


# ---------------------------------------------------------------------------------- staff commands


async def list_keys(
    session: AsyncSession, actor: User, event_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[list[SigningKey], int]:
    await events.get_for_staff(session, actor, event_id)
    query = select(SigningKey).where(SigningKey.event_id == event_id)
    return await fetch_page(
        session, query, SigningKey.created_at.desc(), SigningKey.key_id, offset=offset, limit=limit
    )


async def rotate(session: AsyncSession, actor: User, secret: str, event_id: uuid.UUID) -> SigningKey:
    """A new ACTIVE key for the event; the former one becomes ROTATED (its codes keep verifying).

    The event row is locked first, so concurrent rotations run one after the other. An event without a
    key yet gets its first one (a first signing racing with it waits on the unique index and uses it).
    """
    event = await events.get_for_staff(session, actor, event_id, lock=EventLock.EDIT)
    former: str | None = None
    key_pk = await _create_if_none(session, secret, event.id)
    if key_pk is None:
        former = await session.scalar(
            update(SigningKey)
            .where(SigningKey.event_id == event.id, SigningKey.status == SigningKeyStatus.ACTIVE.value)
            .values(status=SigningKeyStatus.ROTATED.value, rotated_at=utcnow())
            .returning(SigningKey.key_id)
        )
        key_pk = await _create_if_none(session, secret, event.id)
    key = await session.get(SigningKey, key_pk, populate_existing=True)
    assert key is not None
    await audit.record(
        session,
        action="signing_key.rotated",
        entity_type="event",
        entity_id=event.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before={"activeKeyId": former},
        after={"activeKeyId": key.key_id},
    )
    return key


async def retire(session: AsyncSession, actor: User, event_id: uuid.UUID, key_id: str) -> SigningKey:
    """ROTATED → RETIRED: codes signed with the key stop verifying. The ACTIVE key cannot be retired
    (rotate first); retiring a RETIRED key again changes nothing."""
    event = await events.get_for_staff(session, actor, event_id, lock=EventLock.EDIT)
    key = await session.scalar(
        select(SigningKey)
        .where(SigningKey.event_id == event.id, SigningKey.key_id == key_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if key is None:
        raise NotFound("Signing key not found.")
    if key.status == SigningKeyStatus.ACTIVE.value:
        raise InvalidState("The ACTIVE key signs the event's codes; rotate to a new key before retiring it.")
    if key.status == SigningKeyStatus.RETIRED.value:
        return key
    key.status = SigningKeyStatus.RETIRED.value
    key.retired_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        action="signing_key.retired",
        entity_type="event",
        entity_id=event.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before={"keyId": key.key_id, "status": SigningKeyStatus.ROTATED.value},
        after={"keyId": key.key_id, "status": key.status},
    )
    return key
