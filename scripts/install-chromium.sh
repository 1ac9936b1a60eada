#!/usr/bin/env bash
# Make a Chromium available to the browser tests.
#  - On GitHub's runners: Playwright's own build (its CDN is reachable there).
#  - Elsewhere: the system's `chromium`; on Debian as root, install it with apt-get if missing.
set -euo pipefail
py="${1:-python3}"

if [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then
  exec "$py" -m playwright install --with-deps chromium
fi
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  exit 0
fi
echo "No chromium found. Install Debian's 'chromium' package (as root: apt-get install chromium)," >&2
echo "or run '$py -m playwright install chromium' where Playwright's download is reachable." >&2
exit 1
