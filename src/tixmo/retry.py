"""Run a request again after a transient database failure; never answer one with a 500.

The request owns its transaction (DESIGN rule 1), so a request that failed before its commit left
nothing behind, and every side effect beyond the database is either behind the commit (jobs, emails:
the outbox) or idempotent (provider calls carry idempotency keys): running the whole request again is
the one retry that is always right. The middleware keeps the request body (already capped by the body
size limit) so it can replay it, and runs the request again when it failed with:

* a deadlock or serialization failure (``transient.Transient.CONFLICT``): up to
  ``TIXMO_DB_RETRY_ATTEMPTS`` runs in all, with a short random pause between them;
* a lost connection (``Transient.CONNECTION``): once more, unless it broke while a COMMIT was on its
  way (``transient.committing``), when the outcome is unknown — then only a request with an
  ``Idempotency-Key`` runs again (it replays the first answer if the change was kept).

What is left — retries used up, a commit in doubt, no pooled connection free in time — is answered
``503 SERVICE_UNAVAILABLE`` with ``Retry-After``, never a 500; a buyer who sent an ``Idempotency-Key``
gets the first answer when they try again, if the order was kept. Nothing is retried once the response
has started (a stream).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import structlog
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tixmo import transient
from tixmo.errors import problem_response
from tixmo.transient import Transient

log = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 1


class _Replayable:
    """The request body, read once from the client and handed to every run."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._messages: list[Message] = []
        self._complete = False

    async def read_all(self) -> None:
        while not self._complete:
            message = await self._receive()
            self._messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                self._complete = True

    def receiver(self) -> Receive:
        queue = list(self._messages)

        async def receive() -> Message:
            if queue:
                return queue.pop(0)
            return await self._receive()  # e.g. http.disconnect while the handler waits

        return receive


class TransientRetryMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        attempts: int = 3,
        pause_ms: int = 20,
        on_connection_lost: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        # Told of every lost connection (``PoolHealth.connection_lost``): the pool checks its other
        # connections before their next use, so the run again gets a live one.
        self.on_connection_lost = on_connection_lost
        self.attempts = max(1, attempts)
        self.pause = pause_ms / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = _Replayable(receive)
        await body.read_all()
        keyed = any(name.lower() == b"idempotency-key" for name, _ in scope["headers"])
        connection_retried = False
        attempt_number = 0
        while True:
            attempt_number += 1
            attempt = transient.begin_attempt()
            started = False

            async def tracking_send(message: Message) -> None:
                nonlocal started
                if message["type"] == "http.response.start":
                    started = True
                await send(message)

            try:
                await self.app(scope, body.receiver(), tracking_send)
                return
            except Exception as exc:
                kind = transient.classify(exc)
                if kind is None or started:
                    raise
                # A commit in doubt is safe to run again under an Idempotency-Key: the key's record was
                # committed with the change (the run replays it) or not at all (the run makes it).
                safe = not attempt.in_doubt or keyed
                again = (kind is Transient.CONFLICT and attempt_number < self.attempts) or (
                    kind is Transient.CONNECTION and safe and not connection_retried
                )
                log.warning(
                    "request.transient_db_error",
                    kind=kind.value,
                    attempt=attempt_number,
                    retry=again,
                    in_doubt=attempt.in_doubt,
                    error_type=type(exc).__name__,
                )
                if kind is Transient.CONNECTION and self.on_connection_lost is not None:
                    self.on_connection_lost()
                if not again:
                    await _unavailable(kind, attempt.in_doubt)(scope, body.receiver(), send)
                    return
                if kind is Transient.CONNECTION:
                    connection_retried = True
                await asyncio.sleep(random.uniform(0, self.pause * attempt_number))


_DETAILS = {
    Transient.CONFLICT: "The request met concurrent changes and could not finish; nothing was changed.",
    Transient.CONNECTION: "The database connection was lost; nothing was changed.",
    Transient.OVERLOADED: "The service is busy; nothing was changed.",
}


def _unavailable(kind: Transient, in_doubt: bool) -> Response:
    detail = _DETAILS[kind] + " Try again shortly."
    if in_doubt:
        detail = (
            "The database connection was lost while the change was being saved: it may or may not have "
            "been kept. Try again with the same Idempotency-Key to get the first answer, or check before "
            "trying again without one."
        )
    return problem_response(
        503, "SERVICE_UNAVAILABLE", detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )
