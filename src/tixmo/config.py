"""Settings, read from the environment with the ``TIXMO_`` prefix."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "please-change-me", "dev", "test"})
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    CONSOLE = "console"
    JSON = "json"


class PaymentProviderName(StrEnum):
    MANUAL = "manual"
    STRIPE = "stripe"


class EmailBackendName(StrEnum):
    FILE = "file"
    SMTP = "smtp"


class SmtpSecurity(StrEnum):
    NONE = "none"  # plain SMTP (a local relay)
    STARTTLS = "starttls"  # plain connection upgraded with STARTTLS (port 587)
    TLS = "tls"  # implicit TLS from the first byte (port 465)


class S3AddressingStyle(StrEnum):
    AUTO = "auto"
    PATH = "path"  # https://endpoint/bucket/key (MinIO, most self-hosted stores)
    VIRTUAL = "virtual"  # https://bucket.endpoint/key


# Pillow's own decompression-bomb threshold (Image.MAX_IMAGE_PIXELS): the pixel limit cannot go past it.
PILLOW_MAX_PIXELS = 89_478_485


class InsecureConfiguration(RuntimeError):
    """Raised at start-up when production settings are unsafe."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIXMO_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".tixmo-data")
    database_url: str | None = None
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    # Seconds a request waits for a pooled connection before it is answered 503 with Retry-After: an
    # exhausted pool fails fast instead of piling up requests that clients have given up on.
    db_pool_timeout: float = Field(default=5, gt=0, le=300)
    # Seconds to open a new connection to PostgreSQL (asyncpg's connect timeout): an unreachable server
    # is a 503 after this, not a request hanging for asyncpg's default minute.
    db_connect_timeout: float = Field(default=5, gt=0, le=300)
    # A pooled connection back in the pool for less than this is handed out again without the checkout
    # ping (HikariCP's "alive bypass window"): under load every connection is, so a flash sale saves a
    # round trip per request. 0: always ping.
    db_ping_skip_ms: int = Field(default=500, ge=0)
    # Runs of a request that met a deadlock or serialization failure, in all (tixmo/retry.py).
    db_retry_attempts: int = Field(default=3, ge=1, le=10)
    redis_url: str | None = None
    # ``tixmo serve``: on SIGTERM, seconds in-flight requests get to finish (uvicorn's graceful shutdown)
    # before they are cut; new connections are refused from the start.
    shutdown_grace_seconds: int = Field(default=30, ge=1, le=3600)
    secret_key: str | None = None

    access_token_minutes: float = Field(default=15, gt=0)
    refresh_token_days: float = Field(default=7, gt=0)
    order_hold_minutes: float = Field(default=15, gt=0)
    waitlist_offer_minutes: float = Field(default=30, gt=0)
    order_max_tickets: int = Field(default=50, ge=1, le=1000)
    order_concurrency: int = Field(default=4, ge=1, le=1000)
    # Express orders reserved in batches per event (orders/coalescer.py); the batch's max wait.
    order_coalesce: bool = True
    order_coalesce_wait_ms: float = Field(default=1.0, ge=0, le=100)
    # Sold-out ticket types answered 409 by the process itself, cleared by LISTEN (orders/soldout.py).
    order_sold_out_flag: bool = True
    idempotency_hours: float = Field(default=24, gt=0)

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_format: LogFormat = LogFormat.CONSOLE
    log_level: str = "INFO"
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    rate_limit_login: str = "10/15 minutes"
    rate_limit_register: str = "100/hour"
    rate_limit_refresh: str = "60/minute"
    rate_limit_promo_validate: str = "60/minute"
    # Joining a waiting room: per client IP and, separately, per account.
    rate_limit_queue_join: str = "30/minute"
    rate_limit_enabled: bool = True

    # A TrueType font for PDF tickets (e.g. DejaVuSans.ttf); unset: the PDF's Helvetica (Latin-1 only).
    pdf_font: Path | None = None

    # Scanners (docs/checkin.md): token lifetime, when a device counts as online, the sync upload limit,
    # the live stream's heartbeat.
    scanner_token_minutes: float = Field(default=60, gt=0, le=24 * 60)
    scanner_online_seconds: int = Field(default=120, ge=1)
    # Online scans being decided at once per API process (checkin/router.py); 0: no gate.
    scan_concurrency: int = Field(default=4, ge=0, le=1000)
    # Express scans of one event batched per API process (checkin/batch.py): on/off, the most per statement.
    scan_batch: bool = True
    scan_batch_max: int = Field(default=8, ge=2, le=1000)
    scanner_sync_max_body_bytes: int = Field(default=8 * 1_048_576, ge=1024)
    live_heartbeat_seconds: float = Field(default=15, gt=0, le=300)

    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)

    run_worker: bool | None = None
    seed_demo: bool | None = None
    # Job workers (docs/deployment.md#jobs-of-a-worker-that-died): each one writes a heartbeat this
    # often; one silent for the second value is dead, and its unfinished jobs are run again.
    worker_heartbeat_seconds: float = Field(default=10, gt=0, le=300)
    worker_stalled_after_seconds: float = Field(default=60, gt=0, le=3600)

    # Integrations (docs/webhooks.md): API key requests per minute unless a key has its own tier; outgoing
    # webhooks: whether private/loopback/link-local addresses may be reached (tests, closed networks), the
    # timeout of one delivery, how long the old secret still signs after a rotation.
    api_key_rate_limit_per_minute: int = Field(default=600, ge=1, le=1_000_000)
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=60)
    webhook_secret_overlap_hours: float = Field(default=24, ge=0, le=24 * 30)

    # Payments: "manual" confirms on request (dev, demo, tests); "stripe" takes real payments.
    payment_provider: PaymentProviderName = PaymentProviderName.MANUAL
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1, le=86_400)
    stripe_api_base: str | None = None  # another Stripe API address (a local fake server in the tests)
    stripe_timeout_seconds: float = Field(default=20, gt=0, le=600)
    stripe_max_network_retries: int = Field(default=2, ge=0, le=10)
    # While a payment is PROCESSING (the bank confirms, e.g. after 3-D Secure), the order's hold is
    # extended once by this much (0: never); at most a day.
    payment_processing_hold_minutes: float = Field(default=30, ge=0, le=1440)

    # Email: "file" writes .eml files into <data dir>/mail (dev default); "smtp" sends through a server.
    email_backend: EmailBackendName = EmailBackendName.FILE
    email_from: str = "TixMo <no-reply@tixmo.localhost>"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: SmtpSecurity = SmtpSecurity.STARTTLS
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = Field(default=30, gt=0, le=600)
    # A PEM CA bundle to verify the SMTP server's certificate with (instead of the system's CAs), e.g.
    # a private CA's; TLS is verified either way.
    smtp_ca_file: Path | None = None
    # Where links in emails point (the address clients reach this API at), without a trailing slash.
    public_url: str = "http://127.0.0.1:8000"
    # Event reminders go out this many hours before an event starts.
    reminder_hours_before: float = Field(default=24, gt=0, le=24 * 14)
    # Analytics (docs/analytics.md): how often each API process writes the event page views it counted.
    page_view_flush_seconds: float = Field(default=10, gt=0, le=3600)

    # Images (docs/images.md): where they are stored, how their URLs are formed, what uploads may be.
    # Unset: files under <data dir>/media, served by the API at /media. "s3://bucket/prefix": any
    # S3-compatible store (AWS S3, MinIO, Cloudflare R2, Google Cloud Storage's XML API).
    storage_url: str | None = None
    # The public base URL of the stored objects (a CDN, a public bucket); unset: the API's own /media
    # address for the filesystem, presigned URLs for S3.
    storage_public_url: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_addressing_style: S3AddressingStyle = S3AddressingStyle.AUTO
    s3_presign_seconds: int = Field(default=21_600, ge=60, le=604_800)
    image_max_bytes: int = Field(default=20 * 1_048_576, ge=1024, le=200 * 1_048_576)
    image_max_pixels: int = Field(default=50_000_000, ge=10_000, le=PILLOW_MAX_PIXELS)
    # Images decoded at once per process (each may take width x height x 4 bytes of memory).
    image_concurrency: int = Field(default=2, ge=1, le=64)

    # Operations (docs/operations.md): the bearer token of GET /metrics (unset: open), error tracking,
    # tracing, and how old a due job may get before /health/ready calls the queue stalled.
    metrics_token: str | None = None
    sentry_dsn: str | None = None
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0, le=1)
    otel_endpoint: str | None = None
    otel_service_name: str = "tixmo"
    health_job_stalled_seconds: float = Field(default=300, gt=0, le=86_400)

    @field_validator("public_url", "storage_public_url", "s3_endpoint_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value is not None else None

    @field_validator("storage_url")
    @classmethod
    def _storage_url_form(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        bucket = value.removeprefix("s3://").split("/", 1)[0]
        if not value.startswith("s3://") or not bucket:
            raise ValueError("must be s3://bucket or s3://bucket/prefix (unset: files under the data dir)")
        return value

    @property
    def media_dir(self) -> Path:
        """Where the filesystem storage keeps images (when ``storage_url`` is unset)."""
        return self.data_dir / "media"

    @property
    def mail_dir(self) -> Path:
        """Where the file email backend writes its ``.eml`` files."""
        return self.data_dir / "mail"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("pdf_font")
    @classmethod
    def _font_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no font file at {value}")
        return value

    @field_validator("smtp_ca_file")
    @classmethod
    def _ca_file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no CA file at {value}")
        return value

    @model_validator(mode="after")
    def _heartbeats_fit_the_timeout(self) -> Settings:
        if self.worker_stalled_after_seconds < 3 * self.worker_heartbeat_seconds:
            raise ValueError(
                "worker_stalled_after_seconds must be at least 3 times worker_heartbeat_seconds: a live "
                "worker that misses one heartbeat must not be taken for dead"
            )
        return self

    @property
    def is_embedded(self) -> bool:
        """True when no database URL is configured: TixMo runs its own PostgreSQL."""
        return self.database_url is None

    @property
    def worker_in_process(self) -> bool:
        return self.is_embedded if self.run_worker is None else self.run_worker

    @property
    def seed_demo_on_start(self) -> bool:
        return self.is_embedded if self.seed_demo is None else self.seed_demo

    def check_payments(self) -> None:
        """The stripe provider needs its keys: refuse to start without them rather than fail at checkout."""
        if self.payment_provider != PaymentProviderName.STRIPE:
            return
        missing = [
            name
            for name, value in (
                ("TIXMO_STRIPE_SECRET_KEY", self.stripe_secret_key),
                ("TIXMO_STRIPE_WEBHOOK_SECRET", self.stripe_webhook_secret),
            )
            if not value
        ]
        if missing:
            raise InsecureConfiguration(
                f"TIXMO_PAYMENT_PROVIDER=stripe needs {' and '.join(missing)} (see docs/payments.md)."
            )

    def resolved_secret_key(self) -> str:
        """The signing secret. Generated once and kept in the data directory when unset outside production."""
        key = self.secret_key
        if self.env == Environment.PRODUCTION:
            if key is None or key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
                raise InsecureConfiguration(
                    f"TIXMO_SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
                    "characters in production (generate one with: python -c "
                    "'import secrets; print(secrets.token_urlsafe(48))')"
                )
            return key
        if key:
            return key
        return _persisted_secret(self.data_dir)


def _persisted_secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(value)
    return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
