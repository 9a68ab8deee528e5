#!/usr/bin/env bash
# Installs what the benchmarks compare against or measure with, besides cargo:
# fzf (search), GNU time (peak memory), newsboat (fetching), from Debian's packages; Python
# feedparser (parsing), from PyPI; Mozilla Readability's test pages and Readability.js (reader
# view; see the end).
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

# Reader view (benches/reader.rs): Mozilla Readability's test pages (130 pages with the expected
# title and article), as the readabilityrs crate publishes them on crates.io, and Readability.js
# with jsdom from npm, all into target/bench-tools/readability (nothing is committed).
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/target/bench-tools/readability"
if [ ! -d "$tools/test-pages" ]; then
  mkdir -p "$tools/crate/src"
  printf '[package]\nname = "pages"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nreadabilityrs = "=0.1.4"\n' \
    > "$tools/crate/Cargo.toml"
  touch "$tools/crate/src/lib.rs"
  manifest="$(cd "$tools/crate" && cargo metadata --format-version 1 |
    python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "readabilityrs"))')"
  cp -r "$(dirname "$manifest")/tests/test-pages" "$tools/test-pages.tmp"
  mv "$tools/test-pages.tmp" "$tools/test-pages"
fi
if [ ! -d "$tools/node_modules/jsdom" ] || [ ! -d "$tools/node_modules/@mozilla/readability" ]; then
  if ! command -v node >/dev/null; then
    apt-get install -y -qq nodejs npm
  fi
  npm install --silent --prefix "$tools" @mozilla/readability@0.6.0 jsdom@26
fi
echo "Readability test pages: $(ls "$tools/test-pages" | wc -l); node $(node --version)"
