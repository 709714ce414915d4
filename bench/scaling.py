"""Scaling through nginx: bench/flash_sale.py and bench/checkin.py against deploy/run.sh with 1, 2 and 4
API processes behind nginx, each run with its own raw-SQL baseline measured in the same run.

    .venv/bin/python bench/scaling.py
    .venv/bin/python bench/scaling.py --processes 1 2 4 --rounds 2 --database-url postgresql://…

Each round runs every process count once, in turn (1, 2, 4, then 1, 2, 4 again …), so a load spike on a
shared machine does not fall on one step only; each step is reported as the range over its rounds. The
ratio is the API's rate over the baseline's (the same conditional UPDATE straight at PostgreSQL) of that
same run. Needs Debian's nginx (``TIXMO_NGINX``, default /usr/sbin/nginx).

Progress on stderr; one JSON object on stdout (``steps``: per benchmark and process count, the
min and max of each figure, and every run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

HERE = Path(__file__).resolve().parent
console = Console(stderr=True)


def _flash_sale(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "rate": result["orders_per_s"],
        "baseline": result["baseline_ops_per_s"],
        "ratio": result["ratio"],
        "p99_ms": result.get("p99_ms"),
        "oversold": result["oversold"],
        "loadgen_trivial_rps": result.get("loadgen_trivial_rps"),
    }


def _checkin(result: dict[str, Any]) -> dict[str, Any]:
    baseline = result["baseline_raw_update"]["updates_per_s"]
    return {
        "rate": result["scans_per_s"],
        "baseline": baseline,
        "ratio": round(result["scans_per_s"] / baseline, 3) if baseline else None,
        "p99_ms": result.get("p99_ms"),
        "wrong_accepts": result["wrong_accepts"],
        "loadgen_trivial_rps": result["load_generator"]["trivial_requests_per_s"],
    }


BENCHES = {
    "flash_sale": (
        "flash_sale.py",
        ["--quantity", "3000", "--buyers", "1500", "--concurrency", "32"],
        _flash_sale,
    ),
    "checkin": ("checkin.py", ["--tickets", "4000", "--concurrency", "16", "--offline", "1000"], _checkin),
}


def run_one(name: str, processes: int, database_url: str | None) -> dict[str, Any]:
    script, options, pick = BENCHES[name]
    command = [sys.executable, str(HERE / script), *options, "--workers", str(processes)]
    if name == "flash_sale":
        command.append("--json-only")
    if database_url:
        command += ["--database-url", database_url]
    env = {**os.environ, "TIXMO_BENCH_NGINX": "1"}
    done = subprocess.run(  # noqa: S603 - our own benchmarks
        command, env=env, capture_output=True, text=True, check=False, timeout=1800
    )
    start = done.stdout.find("\n{") + 1 if not done.stdout.startswith("{") else 0  # past any log line
    try:
        result = json.loads(done.stdout[start:])
    except json.JSONDecodeError:
        return {"error": f"exit {done.returncode}: {done.stderr[-2000:]}"}
    return pick(result) | {"exit": done.returncode}


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [run for run in runs if "error" not in run]
    summary: dict[str, Any] = {"runs": runs}
    for key in ("rate", "baseline", "ratio"):
        values = [run[key] for run in good if run.get(key) is not None]
        summary[key] = [min(values), max(values)] if values else None
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bench", choices=sorted(BENCHES), nargs="+", default=sorted(BENCHES))
    parser.add_argument("--database-url", help="a PostgreSQL server for throw-away databases")
    args = parser.parse_args()

    runs: dict[str, dict[int, list[dict[str, Any]]]] = {
        name: {n: [] for n in args.processes} for name in args.bench
    }
    plan = [(name, n) for _ in range(args.rounds) for n in args.processes for name in args.bench]
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("scaling", total=len(plan))
        for name, n in plan:
            progress.update(task, description=f"{name}, {n} API process(es) behind nginx")
            result = run_one(name, n, args.database_url)
            runs[name][n].append(result)
            progress.advance(task)
    report = {
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "steps": {name: {str(n): summarise(r) for n, r in per.items()} for name, per in runs.items()},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
