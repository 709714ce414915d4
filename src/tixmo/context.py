"""The application's long-lived parts, composed once per process (``app.build_context``).

It sits above every domain (it holds their process-wide objects: the order coalescer, the payment
providers, the live-stream hub, ...) and below the web layer, whose dependencies hand it to routes. Domain
services never take it whole: they take the part they need (a ``Database``, ``Settings``, a provider), or a
protocol of their own that it satisfies (``accounts.service.TokenContext``).
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import timedelta

from tixmo.checkin.batch import ScanBatcher
from tixmo.checkin.live import LiveHub
from tixmo.config import Settings
from tixmo.db import Database
from tixmo.media.uploads import MediaContext
from tixmo.orders.coalescer import Coalescer
from tixmo.orders.soldout import SoldOutBoard
from tixmo.payments.providers import PaymentProviders
from tixmo.queue.admission import RoomCache
from tixmo.ratelimit import RateLimiter
from tixmo.security import PasswordService


@dataclass
class AppContext:
    """Everything a request needs that lives as long as the application."""

    settings: Settings
    database: Database
    secret_key: str
    passwords: PasswordService
    rate_limiter: RateLimiter
    # Orders being placed at once in this process (TIXMO_ORDER_CONCURRENCY); see orders/router.py.
    order_gate: asyncio.Semaphore
    # Online scans being decided at once in this process (TIXMO_SCAN_CONCURRENCY; None: no gate).
    scan_gate: asyncio.Semaphore | None
    # Express scans batched per event (TIXMO_SCAN_BATCH; None: each its own statement); see checkin/batch.py.
    scan_batcher: ScanBatcher | None
    # Express orders batched per event (TIXMO_ORDER_COALESCE); see orders/coalescer.py.
    coalescer: Coalescer | None
    # Sold-out ticket types known to this process, cleared by LISTEN (orders/soldout.py).
    sold_out: SoldOutBoard | None
    # The payment providers (TIXMO_PAYMENT_PROVIDER picks the one new payments use).
    payments: PaymentProviders
    # This process's LISTEN connection for the live stream (checkin/live.py); opened on first use.
    live: LiveHub
    # Image storage, upload limits and the per-process gate of image decoding (media/uploads.py).
    media: MediaContext
    # Which events have a waiting room on (queue/service.py), and the draw's random source.
    admission: RoomCache = field(default_factory=RoomCache)
    queue_draw: random.Random = field(default_factory=random.SystemRandom)

    @property
    def access_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.access_token_minutes)

    @property
    def refresh_token_lifetime(self) -> timedelta:
        return timedelta(days=self.settings.refresh_token_days)
