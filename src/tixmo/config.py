"""Settings, read from the environment with the ``TIXMO_`` prefix."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
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


class InsecureConfiguration(RuntimeError):
    """Raised at start-up when production settings are unsafe."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIXMO_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".tixmo-data")
    database_url: str | None = None
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    redis_url: str | None = None
    secret_key: str | None = None

    access_token_minutes: float = Field(default=15, gt=0)
    refresh_token_days: float = Field(default=7, gt=0)
    order_hold_minutes: float = Field(default=15, gt=0)
    order_max_tickets: int = Field(default=50, ge=1, le=1000)
    order_concurrency: int = Field(default=4, ge=1, le=1000)
    idempotency_hours: float = Field(default=24, gt=0)

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_format: LogFormat = LogFormat.CONSOLE
    log_level: str = "INFO"
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    rate_limit_login: str = "10/15 minutes"
    rate_limit_register: str = "100/hour"
    rate_limit_refresh: str = "60/minute"
    rate_limit_promo_validate: str = "60/minute"
    rate_limit_enabled: bool = True

    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)

    run_worker: bool | None = None
    seed_demo: bool | None = None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

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
