"""Logging: errors in the development (console) format are rendered without the frames' local variables."""

from __future__ import annotations

import logging

import pytest
import structlog

from tixmo.config import LogFormat
from tixmo.logging import configure_logging


def _fail(secret_local: str) -> None:
    raise ValueError("boom")


def test_console_tracebacks_do_not_render_locals(capsys: pytest.CaptureFixture[str]) -> None:
    # Rendering every frame's locals (the app, the session, ORM state) took about a minute per error.
    configure_logging(LogFormat.CONSOLE, "INFO")
    try:
        try:
            _fail("-".join(["sentinel", "value", "of", "a", "local"]))  # not in the source text
        except ValueError:
            structlog.get_logger("test").exception("request failed")
        err = capsys.readouterr().err
        assert "request failed" in err
        assert "ValueError: boom" in err
        assert "_fail" in err  # the traceback itself is there
        assert "sentinel-value-of-a-local" not in err
    finally:
        logging.getLogger().handlers = []
