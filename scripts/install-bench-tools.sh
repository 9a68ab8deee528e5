#!/usr/bin/env bash
# Installs what the benchmarks compare against or measure with, besides cargo:
# fzf (search), GNU time (peak memory), newsboat (fetching), from Debian's packages; Python
# feedparser (parsing), from PyPI.
# Not needed for the tests; each benchmark section says so and skips when its tool is missing.
set -euo pipefail
if ! command -v fzf >/dev/null || [ ! -x /usr/bin/time ] || ! command -v newsboat >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq fzf time newsboat
fi
if ! python3 -c 'import feedparser' 2>/dev/null; then
  python3 -m pip install --quiet feedparser
fi
fzf --version
newsboat --version | head -1
python3 -c 'import feedparser; print("feedparser", feedparser.__version__)'
