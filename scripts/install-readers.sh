#!/usr/bin/env bash
# The export tests read our files with the applications' own parsers; the npm ones (gift-pegjs)
# and the W3C Nu HTML validator (vnu-jar, which runs on Java) are pinned in
# tests/readers/package-lock.json. Needs node, npm and Java 17 or later: Debian's, installed as
# root if missing; GitHub's runners have them.
set -euo pipefail
cd "$(dirname "$0")/../tests/readers"
if ! command -v npm >/dev/null 2>&1; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  else
    echo "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
fi
if ! command -v java >/dev/null 2>&1; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless
  else
    echo "java not found: install Java 17 or later (Debian: apt-get install openjdk-17-jre-headless)" >&2
    exit 1
  fi
fi
if [[ ! -f node_modules/.package-lock.json ]] || ! cmp -s package-lock.json .installed-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json .installed-lock
fi
