#!/usr/bin/env bash
# Installs what the benchmarks compare against (fzf), from Debian's packages.
# Not needed for the tests; `cargo bench --bench scale -- fzf` says so when fzf is missing.
set -euo pipefail
if ! command -v fzf >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq fzf
fi
fzf --version
