"""The request-level retry of transient database failures (tixmo/retry.py), on a small ASGI app that
fails the way the database does: the classification of real driver errors, the replayed body, the
bounded number of runs, and the 503 with Retry-After when retrying is not safe or no use."""

from __future__ import annotations

import errno
import socket

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from sqlalchemy.exc import DBAPIError, InvalidRequestError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from tixmo import transient
from tixmo.retry import TransientRetryMiddleware
from tixmo.transient import Transient


class Flaky:
    """Fails its first ``failures`` runs with ``error`` (raised inside ``committing`` when asked), then
    answers with the body it read."""

    def __init__(self, error: BaseException, failures: int, *, while_committing: bool = False) -> None:
        self.error, self.failures, self.while_committing = error, failures, while_committing
        self.runs = 0
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.runs += 1
        body = await Request(scope, receive).body()
        self.bodies.append(body)
        if self.runs <= self.failures:
            if self.while_committing:
                with transient.committing():
                    raise self.error
            raise self.error
        await JSONResponse({"runs": self.runs, "body": body.decode()})(scope, receive, send)


def deadlock() -> BaseException:
    return asyncpg.DeadlockDetectedError("deadlock detected")


def wrapped(error: BaseException) -> DBAPIError:
    """As SQLAlchemy raises a driver error (the driver's exception in the chain)."""
    try:
        raise error
    except BaseException as inner:
        return DBAPIError("COMMIT", None, inner)  # type: ignore[arg-type]


async def post(app: Flaky, *, attempts: int = 3, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=TransientRetryMiddleware(app, attempts=attempts, pause_ms=1))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/orders", content=b'{"eventId": "x"}', headers=headers)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (deadlock(), Transient.CONFLICT),
        (asyncpg.SerializationError("could not serialize"), Transient.CONFLICT),
        (wrapped(deadlock()), Transient.CONFLICT),
        (
            asyncpg.ConnectionDoesNotExistError("closed mid-operation"),
            Transient.CONNECTION,
        ),
        (
            asyncpg.InternalClientError("cannot switch to state 12"),
            Transient.CONNECTION,
        ),
        (
            asyncpg.AdminShutdownError("terminating connection"),
            Transient.CONNECTION,
        ),
        (wrapped(ConnectionResetError()), Transient.CONNECTION),
        (PoolTimeout("QueuePool limit reached"), Transient.OVERLOADED),
        (asyncpg.TooManyConnectionsError("sorry, too many clients already"), Transient.OVERLOADED),
        (wrapped(ConnectionRefusedError(errno.ECONNREFUSED, "refused")), Transient.CONNECTION),
        (OSError(errno.EHOSTUNREACH, "No route to host"), Transient.CONNECTION),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), Transient.CONNECTION),
        (TimeoutError(), Transient.CONNECTION),  # asyncpg's connect timeout
        (asyncpg.UniqueViolationError("duplicate key"), None),
        (FileNotFoundError(errno.ENOENT, "no such file"), None),  # an OSError that is no connection's
        (ValueError("a bug"), None),
    ],
)
def test_which_failures_are_transient(error: BaseException, kind: Transient | None) -> None:
    assert transient.classify(error) is kind


async def test_a_deadlock_runs_the_request_again_with_the_same_body() -> None:
    app = Flaky(deadlock(), failures=2)
    response = await post(app)
    assert response.status_code == 200
    assert response.json() == {"runs": 3, "body": '{"eventId": "x"}'}
    assert app.bodies == [b'{"eventId": "x"}'] * 3


async def test_deadlocks_past_the_attempts_answer_503_with_retry_after() -> None:
    app = Flaky(deadlock(), failures=10)
    response = await post(app, attempts=3)
    assert (response.status_code, app.runs) == (503, 3)
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"


async def test_a_lost_connection_runs_once_more_then_503() -> None:
    lost = asyncpg.ConnectionDoesNotExistError("connection was closed")
    once = Flaky(lost, failures=1)
    assert (await post(once)).json()["runs"] == 2
    twice = Flaky(lost, failures=5)
    assert ((await post(twice)).status_code, twice.runs) == (503, 2)


async def test_a_connection_lost_during_the_commit_is_not_run_again_without_a_key() -> None:
    lost = asyncpg.ConnectionDoesNotExistError("connection was closed")
    app = Flaky(lost, failures=1, while_committing=True)
    response = await post(app)
    assert (response.status_code, app.runs) == (503, 1)  # it may have been kept: the client decides
    assert "may or may not" in response.json()["detail"]
    keyed = Flaky(lost, failures=1, while_committing=True)
    assert (await post(keyed, **{"Idempotency-Key": "k-1"})).json()["runs"] == 2  # the key makes it safe


@pytest.mark.parametrize(
    "never_sent",
    [
        asyncpg.InterfaceError("connection is closed"),  # asyncpg's check before it sends
        wrapped(asyncpg.InterfaceError("connection is closed")),
        InvalidRequestError("This connection is closed"),  # the pool gave up handing one out
        ConnectionRefusedError(errno.ECONNREFUSED, "refused"),  # no connection to commit on
    ],
)
async def test_a_commit_that_never_left_runs_again_without_a_key(never_sent: BaseException) -> None:
    app = Flaky(never_sent, failures=1, while_committing=True)
    response = await post(app)
    assert (response.status_code, app.runs) == (200, 2)  # nothing was sent, so nothing was kept


async def test_a_lost_commit_met_while_handling_a_never_sent_error_is_still_in_doubt() -> None:
    try:
        try:
            raise asyncpg.InterfaceError("connection is closed")
        except asyncpg.InterfaceError:
            raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")  # noqa: B904
    except asyncpg.ConnectionDoesNotExistError as lost:
        error: BaseException = lost
    app = Flaky(error, failures=1, while_committing=True)
    assert ((await post(app)).status_code, app.runs) == (503, 1)


async def test_other_errors_are_not_retried() -> None:
    app = Flaky(ValueError("a bug"), failures=1)
    with pytest.raises(ValueError, match="a bug"):
        await post(app)
    assert app.runs == 1
