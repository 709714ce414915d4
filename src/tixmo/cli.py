"""The ``tixmo`` command line.

The commands import the rest of TixMo inside their functions, on purpose: prometheus-client fixes its
multiprocess mode when it is first imported (it reads ``PROMETHEUS_MULTIPROC_DIR`` then), and ``serve``
must set that variable first (``_metrics_directory``); everything TixMo imports it, through
``tixmo.metrics``. These are the only imports inside functions in ``src/`` (the others are at the top
of their modules, checked by ``lint-imports``: docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from tixmo.config import Settings, get_settings

app = typer.Typer(
    help="TixMo: an event-ticketing API. Run `tixmo serve` to start it with an embedded database.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


@contextmanager
def _metrics_directory() -> Iterator[None]:
    """Every API process of ``tixmo serve`` (and its in-process worker) writes its metrics to one
    directory, so ``/metrics`` answered by any of them counts them all (prometheus-client's multiprocess
    mode). A ``PROMETHEUS_MULTIPROC_DIR`` already set is used as it is (a deployment that shares it with
    ``tixmo worker`` processes, deploy/run.sh); else a fresh temporary one, removed on the way out. Must
    run before anything imports ``prometheus_client``."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="tixmo-metrics-") as directory:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        try:
            yield
        finally:
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)


class _Terminated(SystemExit):
    """SIGTERM, raised in the main thread: the command unwinds like on Ctrl-C instead of vanishing."""


@contextmanager
def _sigterm_unwinds(stopped_gracefully: Callable[[], bool] = lambda: False) -> Iterator[None]:
    """Run a command so that SIGTERM (a supervisor's stop; after uvicorn's graceful shutdown, the signal
    it passes on) unwinds it and releases the embedded PostgreSQL (the last process out stops it). The
    process then exits 0 when ``stopped_gracefully()`` says the stop was an orderly one (``serve``: the
    server had taken over the signal and finished its graceful shutdown), else it still ends by SIGTERM."""

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except _Terminated as exc:
        from tixmo.db import stop_embedded_postgres

        stop_embedded_postgres()
        sys.stdout.flush()
        sys.stderr.flush()
        if stopped_gracefully():
            raise SystemExit(0) from exc
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def _prepare_database(settings: Settings) -> str:
    """Resolve the database (starting the embedded one if needed) and apply migrations."""
    from tixmo.db import resolve_database_url
    from tixmo.migrate import upgrade

    with console.status("Starting the database and applying migrations..."):
        url = resolve_database_url(settings)
        upgrade(url)
    return url


def _seed(settings: Settings, url: str) -> bool:
    from tixmo.db import create_database
    from tixmo.demo import STEPS, seed_demo
    from tixmo.media.storage import open_storage
    from tixmo.security import PasswordService

    async def run() -> bool:
        database = create_database(url, settings)
        passwords = PasswordService(settings.argon2_time_cost, settings.argon2_memory_kib)
        with Progress(
            TextColumn("[bold]Seeding demo data"),
            BarColumn(),
            TextColumn("{task.description}"),
            console=console,
        ) as progress:
            task = progress.add_task("", total=STEPS)

            def step(what: str) -> None:
                progress.update(task, advance=1, description=what)

            try:
                return await seed_demo(database, passwords, step, storage=open_storage(settings))
            finally:
                await database.dispose()

    return asyncio.run(run())


def _print_welcome(host: str, port: int) -> None:
    from tixmo.demo import DEMO_LOGINS

    base = f"http://{host}:{port}"
    console.print(f"\n[bold green]TixMo is starting[/] on {base}")
    console.print(f"  API docs:   {base}/api/v1/docs")
    console.print(f"  Health:     {base}/health")
    console.print("  Demo logins (POST /api/v1/auth/login):")
    for login in DEMO_LOGINS:
        console.print(f"    {login.role:<9} {login.email:<28} {login.password}")
    console.print()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="API worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Start the API. With no TIXMO_DATABASE_URL it runs an embedded PostgreSQL, applies migrations,
    seeds demo data on first start and runs a job worker in-process."""
    import uvicorn

    serving = False  # uvicorn has taken over SIGTERM: it re-raises the signal after its graceful shutdown

    # A SIGTERM unwinds (removes) the metrics directory too; one that uvicorn served out exits 0.
    with _sigterm_unwinds(lambda: serving), _metrics_directory():
        settings = get_settings()
        url = _prepare_database(settings)
        if settings.seed_demo_on_start and _seed(settings, url):
            console.print("[green]Demo data created.[/]")
        # Child processes (workers, reload) read the resolved database and the worker choice from the env.
        os.environ["TIXMO_DATABASE_URL"] = url
        os.environ["TIXMO_RUN_WORKER"] = "true" if settings.worker_in_process else "false"
        os.environ["TIXMO_SEED_DEMO"] = "false"
        get_settings.cache_clear()
        _print_welcome(host, port)
        serving = True
        uvicorn.run(
            "tixmo.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=None if reload else workers,
            reload=reload,
            loop="uvloop",
            http="httptools",
            proxy_headers=True,
            forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            # SIGTERM: the listening socket is closed at once (new connections are refused), requests in
            # flight get this long to finish, then the rest are cancelled (docs/operations.md).
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
            log_config=None,
        )


@app.command()
def migrate() -> None:
    """Apply database migrations (alembic upgrade head)."""
    with _sigterm_unwinds():
        _prepare_database(get_settings())
    console.print("[green]Database is up to date.[/]")


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs run at once by this worker.")] = 4,
) -> None:
    """Run a background job worker (order expiry, refunds, emails, reminders, periodic clean-ups)."""
    from tixmo import locks, observability, reactions
    from tixmo.config import Environment
    from tixmo.db import create_database, resolve_database_url
    from tixmo.jobs import run_worker
    from tixmo.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    locks.configure(strict=settings.env != Environment.PRODUCTION)  # as the API does (app.build_context)
    reactions.install()
    observability.init_sentry(settings)

    async def run(url: str) -> None:
        database = create_database(url, settings)
        observability.init_tracing(settings, None, database.engine)
        try:
            await run_worker(database, settings=settings, concurrency=concurrency)
        finally:
            await database.dispose()
            observability.flush_tracing()

    with _sigterm_unwinds():
        asyncio.run(run(resolve_database_url(settings)))


@app.command("seed-demo")
def seed_demo() -> None:
    """Create the demo users, organization, venue and events (once; skipped when present)."""
    settings = get_settings()
    with _sigterm_unwinds():
        created = _seed(settings, _prepare_database(settings))
    if created:
        console.print("[green]Demo data created.[/]")
    else:
        console.print("Demo data is already there.")


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="Email of the administrator.")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="Password.")
    ],
    first_name: Annotated[str, typer.Option(help="First name.")] = "Admin",
    last_name: Annotated[str, typer.Option(help="Last name.")] = "User",
) -> None:
    """Create a platform administrator, or promote an existing account to ADMIN."""
    from pydantic import ValidationError

    from tixmo.accounts.schemas import RegisterRequest
    from tixmo.accounts.service import create_or_promote_admin
    from tixmo.db import create_database
    from tixmo.security import PasswordService

    try:
        data = RegisterRequest.model_validate(
            {"email": email, "password": password, "firstName": first_name, "lastName": last_name}
        )
    except ValidationError as exc:
        for error in exc.errors():
            console.print(f"[red]{'.'.join(map(str, error['loc']))}: {error['msg']}[/]")
        raise typer.Exit(code=2) from exc
    settings = get_settings()

    async def run(url: str) -> bool:
        database = create_database(url, settings)
        passwords = PasswordService(settings.argon2_time_cost, settings.argon2_memory_kib)
        try:
            async with database.sessionmaker() as session, session.begin():
                return await create_or_promote_admin(session, passwords, data)
        finally:
            await database.dispose()

    with _sigterm_unwinds():
        created = asyncio.run(run(_prepare_database(settings)))
    console.print(f"[green]{'Created' if created else 'Promoted'} administrator {data.email}.[/]")


if __name__ == "__main__":  # pragma: no cover
    app()
