#!/usr/bin/env bash
# Debian packages some tests drive as real components: Chromium (the dashboard's browser tests, through
# Playwright: no browser download), nginx (the multi-process deployment test) and npm (the TypeScript
# types in clients/). Installed with apt-get
# when missing and this user may (root, or sudo without a password); otherwise those tests say they are
# skipped (or fail under CI=true) and this prints how to install them.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v npm >/dev/null 2>&1 || missing+=(npm)  # openapi-typescript for clients/ (docs/clients.md)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "system-deps: not installed (needs root): ${missing[*]} — apt-get install ${missing[*]}" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: no apt-get here; install ${missing[*]} by hand" >&2
    exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
