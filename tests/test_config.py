"""Settings: env parsing, the generated secret, production refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tixmo.app import create_app
from tixmo.config import Environment, InsecureConfiguration, Settings


def test_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key=None)
    first = settings.resolved_secret_key()
    assert len(first) >= 32
    assert Settings(data_dir=tmp_path, secret_key=None).resolved_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("secret", [None, "change-me", "secret", "short-but-not-placeholder"])
def test_production_refuses_placeholder_secrets(tmp_path: Path, secret: str | None) -> None:
    settings = Settings(env=Environment.PRODUCTION, data_dir=tmp_path, secret_key=secret)
    with pytest.raises(InsecureConfiguration, match="TIXMO_SECRET_KEY"):
        settings.resolved_secret_key()
    assert not (tmp_path / "secret_key").exists()


def test_production_app_does_not_start_with_a_placeholder(tmp_path: Path, database_url: str) -> None:
    settings = Settings(env=Environment.PRODUCTION, data_dir=tmp_path, secret_key="change-me")
    with pytest.raises(InsecureConfiguration):
        create_app(settings, database_url=database_url)


def test_production_accepts_a_real_secret(tmp_path: Path) -> None:
    secret = "x" * 16 + "A9-strong-random-value"
    settings = Settings(env=Environment.PRODUCTION, data_dir=tmp_path, secret_key=secret)
    assert settings.resolved_secret_key() == secret


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIXMO_CORS_ORIGINS", "https://shop.example, https://box.example")
    monkeypatch.setenv("TIXMO_ORDER_HOLD_MINUTES", "0.1")
    monkeypatch.setenv("TIXMO_LOG_FORMAT", "json")
    settings = Settings()
    assert settings.cors_origins == ["https://shop.example", "https://box.example"]
    assert settings.order_hold_minutes == pytest.approx(0.1)
    assert settings.log_format == "json"
    assert settings.is_embedded
    assert settings.worker_in_process and settings.seed_demo_on_start


def test_external_database_turns_off_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIXMO_DATABASE_URL", "postgresql://db.example/tixmo")
    settings = Settings()
    assert not settings.is_embedded
    assert not settings.worker_in_process
    assert not settings.seed_demo_on_start


def test_bad_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIXMO_ORDER_HOLD_MINUTES", "-1")
    with pytest.raises(ValueError, match="order_hold_minutes"):
        Settings()
