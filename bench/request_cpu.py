"""Instructions per request of the API, counted by valgrind (callgrind): a number that does not move with
whatever else the machine is doing, for the requests a gate and a flash sale send most.

    .venv/bin/python bench/request_cpu.py
    .venv/bin/python bench/request_cpu.py --baseline-src /path/to/an/older/checkout/src
    .venv/bin/python bench/request_cpu.py --requests 300 --json-only > result.json

Throughput and CPU seconds on a shared 2-core machine swing by ±30 % from one run to the next; the
instructions a request executes do not (the same count twice, with the other core busy or not). So this
counts them:

1. seed (no valgrind): per variant its own database, migrated by that variant's code, with the gate's
   tickets and scanner devices (``checkin.seed``) and a flash sale's catalogue and buyers
   (``flash_sale.seed``);
2. run the variant's app in-process under ``valgrind --tool=callgrind``, called as ASGI (no HTTP server:
   what uvicorn's parser costs is the same for every variant and is not counted), one request at a time,
   and for each kind — a trivial path (a 404 problem), an online scan (``POST /scanners/scan`` ENTRY, each
   ticket once: VALID), an order (``POST /orders``, one ticket, the default settings: coalescer on) —
   ``--warmup`` requests, then counters zeroed, ``--requests`` requests, counters dumped;
3. report instructions per request of each kind, and with ``--baseline-src`` the same for that source
   tree (run through ``PYTHONPATH``) and the ratio.

Counted: user-space instructions of the API process (Python, the driver, the JSON and JWT libraries).
Not counted: the kernel (socket calls), PostgreSQL (its own processes) and the HTTP parsing. The markers
are two calls nothing else makes (``os.getppid`` zeroes, ``os.getpgrp`` dumps: callgrind's
``--zero-before``/``--dump-before`` on their C functions). Needs valgrind (Debian package ``valgrind``).
A run takes a few minutes per variant: start-up under valgrind is slow, not the requests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The bench's siblings, found through the path set just above; TixMo itself through PYTHONPATH, so the
# counted process runs the variant's code.
import checkin
from flash_sale import ORDERS_PATH, TRIVIAL_PATH, _with_database, console, prepare_database, server_env
from flash_sale import seed as seed_sale

from tixmo.app import create_app
from tixmo.db import libpq_conninfo
from tixmo.migrate import upgrade

KINDS = ("trivial", "scan", "order")
ZERO_MARK, DUMP_MARK = "os_getppid", "os_getpgrp"  # the C functions of os.getppid, os.getpgrp
SUMMARY = re.compile(rb"^(?:summary|totals):\s+(\d+)", re.MULTILINE)


# ------------------------------------------------------------------------------- seeding (no valgrind)


def seed_variant(url: str, requests: int, warmup: int, out: Path) -> None:
    """Migrate ``url`` with this process's TixMo and seed what the run needs (``--seed``)."""
    upgrade(url)
    per_kind = requests + warmup
    gate = checkin.seed(url, argparse.Namespace(tickets=per_kind, devices=1, race_tickets=0, stored_scans=0))
    sale = seed_sale(url, quantity=per_kind * 2, n_buyers=per_kind)
    out.write_text(
        json.dumps(
            {
                "url": url,
                "barcodes": [barcode for _, barcode in gate["tickets"]["live"]],
                "api_key": checkin.api_key(0),
                "event_id": str(sale.event_id),
                "ticket_type_id": str(sale.ticket_type_id),
                "tokens": sale.tokens,
            }
        )
    )


# --------------------------------------------------------------------------------- the counted process


class AsgiCaller:
    """Calls the app as ASGI with a whole body, as a server would; answers (status, body)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        raw = [(b"host", b"bench"), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent: list[dict[str, Any]] = []
        delivered = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if not delivered.is_set():
                delivered.set()
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client stays; never answered
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await self.app(scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def _counted(seeded: dict[str, Any], requests: int, warmup: int) -> None:
    app = create_app()
    call = AsgiCaller(app)
    json_headers = {"content-type": "application/json"}
    async with app.router.lifespan_context(app):
        status, raw = await call(
            "POST", "/api/v1/scanners/auth", json.dumps({"apiKey": seeded["api_key"]}).encode(), json_headers
        )
        assert status == 200, raw
        scanner = {**json_headers, "authorization": f"Bearer {json.loads(raw)['token']}"}
        barcodes = iter(seeded["barcodes"])
        order = json.dumps(
            {
                "eventId": seeded["event_id"],
                "items": [{"ticketTypeId": seeded["ticket_type_id"], "quantity": 1}],
            }
        ).encode()
        buyers = iter(seeded["tokens"])

        async def trivial() -> None:
            status, _ = await call("GET", TRIVIAL_PATH)
            assert status == 404, status

        async def scan() -> None:
            body = json.dumps({"barcode": next(barcodes), "direction": "ENTRY"}).encode()
            status, raw = await call("POST", "/api/v1/scanners/scan", body, scanner)
            assert status == 200 and json.loads(raw)["status"] == "VALID", raw[:300]

        async def place() -> None:
            headers = {**json_headers, "authorization": f"Bearer {next(buyers)}"}
            status, raw = await call("POST", ORDERS_PATH, order, headers)
            assert status == 201, raw[:300]

        for one in (trivial, scan, place):
            for _ in range(warmup):
                await one()
            os.getppid()  # callgrind: zero the counters
            for _ in range(requests):
                await one()
            os.getpgrp()  # callgrind: dump them


# ---------------------------------------------------------------------------------------------- driver


def _environment(src: Path | None, url: str, data_dir: Path) -> dict[str, str]:
    env = server_env(url, data_dir)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _variant(
    name: str, src: Path | None, server_url: str, args: argparse.Namespace, work: Path
) -> dict[str, Any]:
    database = f"tixmo_request_cpu_{name}_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(libpq_conninfo(server_url), autocommit=True)
    admin.execute(f'CREATE DATABASE "{database}"')
    url = _with_database(server_url, database)
    try:
        env = _environment(src, url, work / name)
        seeded = work / f"{name}.json"
        with console.status(f"{name}: migrating and seeding"):
            subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, __file__, "--seed", str(seeded), "--url", url, *_counts(args)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        out = work / f"callgrind.{name}.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            f"--zero-before={ZERO_MARK}",
            f"--dump-before={DUMP_MARK}",
            sys.executable,
            __file__,
            "--count",
            str(seeded),
            *_counts(args),
        ]
        with console.status(f"{name}: {len(KINDS)} x {args.requests} requests under callgrind"):
            done = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603
        if done.returncode != 0:
            sys.stderr.buffer.write(done.stderr[-4000:])
            raise SystemExit(f"{name}: the counted run failed ({done.returncode})")
        dumps = sorted(work.glob(f"callgrind.{name}.out.*"), key=lambda p: int(p.suffix[1:]))
        if len(dumps) != len(KINDS):
            raise SystemExit(f"{name}: {len(dumps)} callgrind dumps, {len(KINDS)} expected")
        result = {}
        for kind, dump in zip(KINDS, dumps, strict=True):
            found = SUMMARY.search(dump.read_bytes())
            assert found is not None, dump
            result[kind] = round(int(found.group(1)) / args.requests)
        return result
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def _counts(args: argparse.Namespace) -> list[str]:
    return ["--requests", str(args.requests), "--warmup", str(args.warmup)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to use (default: an embedded one)")
    parser.add_argument("--baseline-src", type=Path, help="a TixMo src/ directory to count as the baseline")
    parser.add_argument("--requests", type=int, default=300, help="counted requests of each kind")
    parser.add_argument("--warmup", type=int, default=100, help="requests of each kind before counting")
    parser.add_argument("--json-only", action="store_true", help="no progress output on stderr")
    parser.add_argument("--seed", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        seed_variant(args.url, args.requests, args.warmup, args.seed)
        return
    if args.count is not None:
        asyncio.run(_counted(json.loads(args.count.read_text()), args.requests, args.warmup))
        return
    console.quiet = args.json_only
    if args.baseline_src is not None and not (args.baseline_src / "tixmo" / "__init__.py").is_file():
        parser.error(f"--baseline-src {args.baseline_src}: no tixmo package there")
    with contextlib.redirect_stdout(sys.stderr):
        server_url, drop = prepare_database(args.database_url)
    work = Path(tempfile.mkdtemp(prefix="tixmo-request-cpu-"))
    report: dict[str, Any] = {"instructions_per_request": {}}
    try:
        variants: list[tuple[str, Path | None]] = [("current", None)]
        if args.baseline_src is not None:
            variants.append(("baseline", args.baseline_src.resolve()))
        for name, src in variants:
            report["instructions_per_request"][name] = _variant(name, src, server_url, args, work)
    finally:
        drop()
    counted = report["instructions_per_request"]
    if "baseline" in counted:
        report["current_vs_baseline"] = {
            kind: round(counted["current"][kind] / counted["baseline"][kind], 3) for kind in KINDS
        }
    report["config"] = {
        "requests": args.requests,
        "warmup": args.warmup,
        "baseline_src": str(args.baseline_src) if args.baseline_src else None,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
