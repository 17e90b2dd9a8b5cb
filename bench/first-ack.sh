#!/usr/bin/env bash
# Start-up cost of ./millrace server: wall time from launching the process to the first acks=all
# produce acknowledged (kcat, librdkafka, launched again every 20 ms until it connects), on free
# 127.0.0.1 ports in a fresh data directory each run. Prints one line per run and the median.
#   bench/first-ack.sh [RUNS] [console|no-console] [metrics|no-metrics]
# Default: 5 runs with the web console and /metrics on, as ./millrace server's single-node defaults.
# The broker must be built (./millrace version builds it); MILLRACE=path runs another launcher
# (a copy of an earlier build, to compare the two in turns). Stops each server it started, by pid.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
CONSOLE="${2:-console}"
METRICS="${3:-metrics}"
MILLRACE="${MILLRACE:-$ROOT/millrace}"
command -v kcat >/dev/null || { echo "first-ack: kcat is needed" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

times=()
for ((run = 1; run <= RUNS; run++)); do
  dir="$(mktemp -d "${TMPDIR:-/tmp}/first-ack.XXXXXX")"
  port="$(free_port)"
  console=""; [[ "$CONSOLE" == console ]] && console="127.0.0.1:$(free_port)"
  metrics=""; [[ "$METRICS" == metrics ]] && metrics="127.0.0.1:$(free_port)"
  start="$(now_ms)"
  "$MILLRACE" server --override "listeners=PLAINTEXT://127.0.0.1:$port" \
    --override "log.dirs=$dir/data" --override "millrace.console.listener=$console" \
    --override "millrace.metrics.listener=$metrics" >"$dir/server.log" 2>&1 &
  pid=$!
  acked=""
  deadline=$(( start + 60000 ))
  # kcat gives up when no broker accepts its connection: launch it again until one acknowledges
  while [[ -z "$acked" ]] && (( $(now_ms) < deadline )) && kill -0 "$pid" 2>/dev/null; do
    if echo "first" | kcat -P -b "127.0.0.1:$port" -t first-ack -X acks=all -X message.timeout.ms=30000 \
        -X log_level=0 2>/dev/null; then
      acked="$(now_ms)"
    else
      sleep 0.02
    fi
  done
  if [[ -n "$acked" ]]; then
    elapsed=$(( acked - start ))
    times+=("$elapsed")
    echo "run $run: ${elapsed} ms (console ${console:-off}, metrics ${metrics:-off})"
  else
    echo "run $run: no acknowledgement (server log: $dir/server.log)" >&2
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [[ -n "${KEEP:-}" ]] || rm -rf "$dir"
done
if ((${#times[@]})); then
  median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  echo "median of ${#times[@]}: ${median} ms"
fi
