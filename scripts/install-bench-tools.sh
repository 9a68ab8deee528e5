#!/usr/bin/env bash
# Installs what the benchmarks use besides cargo: fzf (the comparison) and GNU time (peak memory), from Debian's packages.
# Not needed for the tests; `cargo bench --bench scale -- fzf` says so when fzf is missing.
set -euo pipefail
if ! command -v fzf >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update -qq
  apt-get install -y -qq fzf time
fi
fzf --version
