"""Supply-chain check: pip-audit over the locked dependency set (requirements.lock).

Fails (exit 1) on a known vulnerability that has a fixed release to move to; prints, but passes, the ones
without a fix (nothing to upgrade to yet). Needs network access to PyPI's advisory database.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    audit = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(ROOT / "requirements.lock"),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if audit.returncode not in (0, 1) or not audit.stdout.strip():
        print(audit.stderr, file=sys.stderr)
        return 2
    report = json.loads(audit.stdout)
    fixable = 0
    for dependency in report["dependencies"]:
        for vuln in dependency.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            label = "FIXABLE" if fixes else "no fix yet"
            print(f"{label}: {dependency['name']} {dependency['version']} {vuln['id']} fixed in {fixes}")
            fixable += bool(fixes)
    print(f"pip-audit: {len(report['dependencies'])} locked packages, {fixable} fixable vulnerabilities")
    return 1 if fixable else 0


if __name__ == "__main__":
    raise SystemExit(main())
