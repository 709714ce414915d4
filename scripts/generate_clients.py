"""Write the OpenAPI document and the client SDKs generated from it (docs/clients.md).

    python scripts/generate_clients.py          # regenerate clients/ in place
    python scripts/generate_clients.py --check  # CI: fail when clients/ is not what the document gives

The Python client comes from ``openapi-python-client`` (the ``test`` extra), the TypeScript types from
``openapi-typescript`` (npm, pinned in clients/typescript/package.json, run through ``npx``).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = ROOT / "clients"
PYTHON_PACKAGE = "tixmo_client"


def openapi_document() -> str:
    from tixmo.app import create_app
    from tixmo.config import Settings

    app = create_app(Settings(database_url="postgresql://unused/unused", secret_key="x" * 32))
    return json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"


def generate(into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    document = into / "openapi.json"
    document.write_text(openapi_document())
    subprocess.run(  # noqa: S603
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(into / "python" / PYTHON_PACKAGE),
            "--meta",
            "none",
            "--overwrite",
        ],
        check=True,
        capture_output=True,
    )
    typescript = into / "typescript"
    typescript.mkdir(exist_ok=True)
    shutil.copy(CLIENTS / "typescript" / "package.json", typescript / "package.json")
    if (CLIENTS / "typescript" / "package-lock.json").exists():
        shutil.copy(CLIENTS / "typescript" / "package-lock.json", typescript / "package-lock.json")
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if npm is None or npx is None:
        raise SystemExit("npm is needed for the TypeScript types (Debian: apt-get install npm)")
    subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=typescript, check=True)  # noqa: S603
    command = [
        npx,
        "--no-install",
        "openapi-typescript",
        str(document),
        "-o",
        str(typescript / "schema.d.ts"),
    ]
    subprocess.run(command, cwd=typescript, check=True, capture_output=True)  # noqa: S603
    shutil.rmtree(typescript / "node_modules", ignore_errors=True)


def differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", "node_modules"])
    found = [
        str(left / name) for name in comparison.left_only + comparison.right_only + comparison.diff_files
    ]
    for sub in comparison.common_dirs:
        found += differences(left / sub, right / sub)
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail when clients/ is out of date")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "clients"
        generate(fresh)
        if args.check:
            stale = differences(fresh, CLIENTS)
            if stale:
                print("clients/ is out of date; run python scripts/generate_clients.py:", *stale, sep="\n  ")
                return 1
            print("clients/ matches the OpenAPI document")
            return 0
        for name in ("openapi.json", "python", "typescript"):
            target = CLIENTS / name
            if target.is_dir():
                shutil.rmtree(target)
            source = fresh / name
            shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
    print("clients/ regenerated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
