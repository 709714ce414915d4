"""What checking pooled connections costs a request: one checkout plus ``SELECT 1``, in a loop.

    .venv/bin/python bench/pool_checkout.py
    .venv/bin/python bench/pool_checkout.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Variants, measured in the same run, round-robin (so the loaded machine's drift hits them alike):

* ``unchecked`` — no check at all: a connection killed while pooled fails the request that gets it;
* ``sqlalchemy_pre_ping`` — SQLAlchemy's ``pool_pre_ping`` (three round trips on asyncpg);
* ``tixmo_ping_always`` — TixMo's checkout ping with ``TIXMO_DB_PING_SKIP_MS=0`` (one round trip);
* ``tixmo_default`` — TixMo's default: a connection back in the pool for less than 500 ms is checked
  without a round trip (is the driver's connection closed? has a request lost one since?) — the hot path.

Prints one JSON object: per variant the median and p90 microseconds per request over ``--rounds`` rounds
of ``--requests`` sequential requests, and the ratio to ``unchecked``. Without ``--database-url`` it
starts its own PostgreSQL (pgserver) in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tixmo.config import Settings
from tixmo.db import async_url, create_database, start_embedded_postgres


def engines(url: str, data_dir: Path) -> dict[str, AsyncEngine]:
    def settings(**overrides: Any) -> Settings:
        return Settings(database_url=url, data_dir=data_dir, db_pool_size=2, db_max_overflow=0, **overrides)

    return {
        "unchecked": create_async_engine(async_url(url), pool_size=2, max_overflow=0),
        "sqlalchemy_pre_ping": create_async_engine(
            async_url(url), pool_size=2, max_overflow=0, pool_pre_ping=True
        ),
        "tixmo_ping_always": create_database(url, settings(db_ping_skip_ms=0)).engine,
        "tixmo_default": create_database(url, settings()).engine,
    }


async def one_round(engine: AsyncEngine, requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        async with engine.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")
    return (time.perf_counter() - started) / requests * 1e6


async def run(url: str, rounds: int, requests: int, data_dir: Path) -> dict[str, Any]:
    variants = engines(url, data_dir)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for engine in variants.values():
        await one_round(engine, 50)  # warm: connections open, statements prepared
    for _ in range(rounds):
        for name, engine in variants.items():
            samples[name].append(await one_round(engine, requests))
    for engine in variants.values():
        await engine.dispose()
    base = statistics.median(samples["unchecked"])
    return {
        "rounds": rounds,
        "requests_per_round": requests,
        "us_per_request": {
            name: {
                "median": round(statistics.median(values), 1),
                "p90": round(statistics.quantiles(values, n=10)[-1], 1) if len(values) > 1 else None,
                "ratio_to_unchecked": round(statistics.median(values) / base, 3),
            }
            for name, values in samples.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a PostgreSQL server (default: an embedded one)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tixmo-bench-") as directory:
        data_dir = Path(directory)
        url = args.database_url or start_embedded_postgres(data_dir / "pg", database="postgres")
        result = asyncio.run(run(url, args.rounds, args.requests, data_dir))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
