"""Where images live: one interface, two backends.

* ``FileStorage`` (the default): files under ``TIXMO_DATA_DIR/media``, served by the API itself at
  ``/media/<key>`` (``media/router.py``) with long-lived cache headers and an ETag.
* ``S3Storage`` (``TIXMO_STORAGE_URL=s3://bucket/prefix``): any S3-compatible store through boto3 —
  AWS S3, MinIO, Cloudflare R2, Google Cloud Storage's XML API — with public or presigned URLs.

Keys are the logical names of ``media/models.py`` (``images/<id>/<digest>-w320.jpg``); a backend may put
them under a prefix. Every call that reaches the store raises ``StorageError`` when it fails, so jobs retry
and requests answer ``502 STORAGE_ERROR``. Blocking work (file I/O, boto3's HTTP calls) runs in threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import re
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tixmo.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# Objects never change under their name (it is their content's hash): caches may keep them for a year.
CACHE_CONTROL = "public, max-age=31536000, immutable"
# What a key may look like: anything else never reaches a path or a bucket.
KEY_PATTERN = re.compile(
    r"images/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{64}(-w[0-9]{1,5})?\.(jpg|png|webp)"
)
PRESIGNED_CACHE_SIZE = 10_000


class StorageError(Exception):
    """The store failed or could not be reached. Nothing is known to have changed; try again later."""


class ObjectMissing(StorageError):
    """No object under that key."""


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"not an image object key: {key!r}")
    return key


class Storage(ABC):
    """An object store for images. ``placeholder_url`` is what a rendition's URL is until it exists."""

    def __init__(self, placeholder_url: str) -> None:
        self.placeholder_url = placeholder_url

    @abstractmethod
    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key`` (replacing whatever was there: the same bytes, by construction)."""

    @abstractmethod
    async def get(self, key: str) -> bytes:
        """The object's bytes; ``ObjectMissing`` when there is none."""

    @abstractmethod
    async def delete(self, keys: Iterable[str]) -> None:
        """Remove these objects; a key with no object is not an error (deletes are retried)."""

    @abstractmethod
    async def exists(self, key: str) -> bool: ...

    @abstractmethod
    def url(self, key: str) -> str:
        """Where a client fetches the object (computed locally: no call to the store)."""


# ------------------------------------------------------------------------------------------ filesystem


class FileStorage(Storage):
    """Files under ``root``, written atomically (a temporary file renamed into place)."""

    def __init__(self, root: Path, base_url: str, placeholder_url: str) -> None:
        super().__init__(placeholder_url)
        self.root = root
        self.base_url = base_url

    def path_of(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path_of(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            try:
                temporary.write_bytes(data)
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)

        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            raise StorageError(f"could not write {key}: {exc}") from exc

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path_of(key).read_bytes)
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc
        except OSError as exc:
            raise StorageError(f"could not read {key}: {exc}") from exc

    async def delete(self, keys: Iterable[str]) -> None:
        paths = [self.path_of(key) for key in keys]

        def remove() -> None:
            for path in paths:
                path.unlink(missing_ok=True)
            for directory in {path.parent for path in paths}:
                with contextlib.suppress(OSError):  # gone already, or not empty
                    directory.rmdir()

        try:
            await asyncio.to_thread(remove)
        except OSError as exc:
            raise StorageError(f"could not delete: {exc}") from exc

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path_of(key).is_file)

    def url(self, key: str) -> str:
        return f"{self.base_url}/{check_key(key)}"


# ------------------------------------------------------------------------------------------------- S3


class S3Storage(Storage):
    """A bucket of an S3-compatible store, objects under ``prefix``. URLs are ``public_base_url/<object
    key>`` when a public base is configured, otherwise presigned GET URLs valid ``presign_seconds``.

    A presigned URL is reused for half its lifetime: the same image then has the same URL across requests
    (browsers and CDNs cache it), and every URL handed out stays valid at least half the lifetime."""

    def __init__(
        self,
        client: S3Client,
        bucket: str,
        prefix: str,
        *,
        public_base_url: str | None,
        presign_seconds: int,
        placeholder_url: str,
    ) -> None:
        super().__init__(placeholder_url)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.public_base_url = public_base_url
        self.presign_seconds = presign_seconds
        self._signed: dict[str, tuple[int, str]] = {}

    def object_key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    async def _call(self, what: str, method: Any, **params: Any) -> Any:
        try:
            return await asyncio.to_thread(method, Bucket=self.bucket, **params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectMissing(params.get("Key", "")) from exc
            raise StorageError(f"{what} failed: {exc}") from exc
        except BotoCoreError as exc:  # connection refused, timeouts, bad credentials config, ...
            raise StorageError(f"{what} failed: {exc}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            "put",
            self.client.put_object,
            Key=self.object_key(key),
            Body=data,
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )

    async def get(self, key: str) -> bytes:
        response = await self._call("get", self.client.get_object, Key=self.object_key(key))
        try:
            body: bytes = await asyncio.to_thread(response["Body"].read)
        except (BotoCoreError, OSError) as exc:
            raise StorageError(f"get failed: {exc}") from exc
        return body

    async def delete(self, keys: Iterable[str]) -> None:
        # One DeleteObject per key: Google Cloud Storage's XML API has no multi-object delete.
        for key in keys:
            await self._call("delete", self.client.delete_object, Key=self.object_key(key))

    async def exists(self, key: str) -> bool:
        try:
            await self._call("head", self.client.head_object, Key=self.object_key(key))
        except ObjectMissing:
            return False
        return True

    def url(self, key: str) -> str:
        name = self.object_key(key)
        if self.public_base_url is not None:
            return f"{self.public_base_url}/{name}"
        window = int(time.time()) // max(1, self.presign_seconds // 2)
        cached = self._signed.get(name)
        if cached is not None and cached[0] == window:
            return cached[1]
        signed: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": name}, ExpiresIn=self.presign_seconds
        )
        if len(self._signed) >= PRESIGNED_CACHE_SIZE:
            self._signed.clear()
        self._signed[name] = (window, signed)
        return signed


# ------------------------------------------------------------------------------------------ from settings


@dataclass(frozen=True)
class StorageConfig:
    """The settings a storage is made of (hashable: one storage per configuration and process)."""

    storage_url: str | None
    media_dir: Path
    public_base_url: str | None
    placeholder_url: str
    endpoint_url: str | None
    region: str
    access_key_id: str | None
    secret_access_key: str | None
    addressing_style: str
    presign_seconds: int

    @classmethod
    def of(cls, settings: Settings) -> StorageConfig:
        return cls(
            storage_url=settings.storage_url,
            media_dir=settings.media_dir.resolve(),
            public_base_url=settings.storage_public_url,
            placeholder_url=f"{settings.public_url}{PLACEHOLDER_PATH}",
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            addressing_style=settings.s3_addressing_style.value,
            presign_seconds=settings.s3_presign_seconds,
        )


# Served by the API whatever the backend (media/router.py).
FILES_PATH = "/media"
PLACEHOLDER_PATH = f"{FILES_PATH}/placeholder.svg"


def s3_client(config: StorageConfig) -> S3Client:
    """A boto3 S3 client (thread-safe; one per storage). Checksums only where the API requires them:
    the default CRC32 trailers of boto3 ≥ 1.36 are refused by Google Cloud Storage and older MinIOs."""
    client: S3Client = boto3.session.Session().client(
        "s3",
        endpoint_url=config.endpoint_url,
        region_name=config.region,
        aws_access_key_id=config.access_key_id,
        aws_secret_access_key=config.secret_access_key,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": cast(Literal["auto", "virtual", "path"], config.addressing_style)},
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )
    return client


@functools.lru_cache(maxsize=8)
def _open(config: StorageConfig) -> Storage:
    if config.storage_url is None:
        base = config.public_base_url or config.placeholder_url.removesuffix(PLACEHOLDER_PATH) + FILES_PATH
        return FileStorage(config.media_dir, base, config.placeholder_url)
    bucket, _, prefix = config.storage_url.removeprefix("s3://").partition("/")
    return S3Storage(
        s3_client(config),
        bucket,
        prefix,
        public_base_url=config.public_base_url,
        presign_seconds=config.presign_seconds,
        placeholder_url=config.placeholder_url,
    )


def open_storage(settings: Settings) -> Storage:
    """The storage these settings describe; the same object for the same settings within a process (the
    API's requests and the jobs of an in-process worker share it)."""
    return _open(StorageConfig.of(settings))
