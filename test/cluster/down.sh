#!/usr/bin/env bash
# Stops the local cluster (npm run cluster:down): exactly the processes up.sh started (PIDs in
# $RUN/pids), plus whatever they started (the pids cgroup, or else their process tree, catches
# servers started inside sandboxes), then deletes $RUN (including PVC data).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
quiet=false; [[ ${1:-} == --quiet ]] && quiet=true
say() { $quiet || log "$@"; }
lock

[[ $RUN == /* && $RUN != / && $(basename "$RUN") != . ]] || die "refusing to work on RUN=$RUN"

# descendants PID...: all processes below the given ones (by parent PID), deepest last.
descendants() {
  local -A kids=()
  local pid ppid
  while read -r pid ppid; do kids[$ppid]+=" $pid"; done < <(ps -e -o pid=,ppid=)
  local queue=("$@") out=()
  while ((${#queue[@]})); do
    pid=${queue[0]}; queue=("${queue[@]:1}")
    for k in ${kids[$pid]:-}; do out+=("$k"); queue+=("$k"); done
  done
  printf '%s\n' "${out[@]}"
}

pids=()
for name in "${COMPONENTS[@]}"; do
  if pid=$(pid_of "$name"); then pids+=("$pid"); fi
done
# Everything below them, captured before they exit (orphans are re-parented and lost otherwise).
mapfile -t tree < <(((${#pids[@]})) && descendants "${pids[@]}")
cg=()
[[ -f $CGROUP/cgroup.procs ]] && mapfile -t cg <"$CGROUP/cgroup.procs"

# gVisor: let runsc tear its sandbox down (it holds the KWOK process and all its exec'd children).
for gv in "$RUN/gvisor/state:$GVISOR_ID" "$RUN/v05/gvisor/state:$GVISOR_ID-v05"; do
  if [[ -d ${gv%%:*} ]]; then
    runsc --root="${gv%%:*}" kill "${gv#*:}" KILL >/dev/null 2>&1 || true
    runsc --root="${gv%%:*}" delete --force "${gv#*:}" >/dev/null 2>&1 || true
  fi
done

all=("${pids[@]}" "${tree[@]}" "${cg[@]}")
if ((${#all[@]})); then
  say "stopping ${#pids[@]} cluster processes (+$((${#all[@]} - ${#pids[@]})) children)"
  # Reverse start order: controllers before the apiservers, etcd last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  kill -TERM "${tree[@]}" "${cg[@]}" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    alive=()
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    ((${#alive[@]})) || break
    sleep 0.2
  done
  for p in "${all[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
fi
# Late stragglers in the cgroup (forked while we were stopping the others).
if [[ -d $CGROUP ]]; then
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    mapfile -t cg <"$CGROUP/cgroup.procs"
    ((${#cg[@]})) || break
    kill -KILL "${cg[@]}" 2>/dev/null || true
    sleep 0.2
  done
  rmdir "$CGROUP" 2>/dev/null || say "warning: could not remove $CGROUP"
fi

if [[ -d $RUN ]]; then
  rm -rf "$RUN"
  say "removed $RUN"
fi
say "cluster down"
