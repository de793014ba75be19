#!/usr/bin/env bash
# Kills the main cluster's kube-apiserver (SIGKILL, like a crash) and starts it again with the same
# flags and port, then waits for /readyz. For tests such as "watch recovers after the apiserver
# restarts". Usage: restart-apiserver.sh [--down-seconds N]  (keep it down N seconds, default 0)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
down=0
[[ ${1:-} == --down-seconds ]] && down=${2:?}
[[ $down =~ ^[0-9]+$ ]] || die "--down-seconds needs a whole number"
lock
[[ -f $RUN/ports ]] || die "the local cluster is not running ($RUN/ports missing)"
source "$RUN/ports"

if pid=$(pid_of kube-apiserver); then
  kill -KILL "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  log "killed kube-apiserver (pid $pid)"
fi
sleep "$down"
T0=$SECONDS
mapfile -t args < <(apiserver_args main "$APISERVER_PORT")
start_bg kube-apiserver "$BIN/kube-apiserver" "${args[@]}"
# The old socket may linger briefly; the new process retries binding on its own only for ~15s,
# so a bind failure shows up as an early exit (reported with the log tail).
wait_until "kube-apiserver /readyz" 120 kube-apiserver \
  curl -fsSk --max-time 2 -o /dev/null "https://127.0.0.1:$APISERVER_PORT/readyz"
log "kube-apiserver back on https://127.0.0.1:$APISERVER_PORT (pid $(pid_of kube-apiserver)) after $((SECONDS - T0))s"
