from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notifications.helpers import MailSink, smtp_settings, start_smtp
from tixmo.config import Settings


@pytest.fixture
def smtp() -> Iterator[tuple[int, MailSink]]:
    """A real SMTP server on a free port for one test: (port, what it received)."""
    controller, sink = start_smtp()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


@pytest.fixture
def sink(smtp: tuple[int, MailSink]) -> MailSink:
    return smtp[1]


@pytest.fixture
def mail_settings(smtp: tuple[int, MailSink], tmp_path: Path) -> Settings:
    """Worker settings that send through the test's SMTP server."""
    return smtp_settings(tmp_path, smtp[0])
