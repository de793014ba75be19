#!/usr/bin/env bash
# Shows what of the local cluster runs, where (ports, PIDs) and whether it is healthy
# (npm run cluster:status). Exit status 0 only if every component is healthy.
# --quiet: no output, only the exit status (used by up.sh for its "already up" check).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
quiet=false; [[ ${1:-} == --quiet ]] && quiet=true

if [[ ! -f $RUN/env ]]; then
  $quiet || echo "local cluster: not running (no $RUN/env)"
  exit 1
fi
source "$RUN/ports"
AS_API=$(sed -n 's/^AS_API_VERSION=//p' "$RUN/env")

https() { curl -fsSk --max-time 2 -o /dev/null "https://127.0.0.1:$1$2"; }
http() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$1$2"; }
# component port check...
rows=(
  "etcd $ETCD_PORT http $ETCD_PORT /health"
  "kube-apiserver $APISERVER_PORT https $APISERVER_PORT /readyz"
  "kube-apiserver-bare $BARE_APISERVER_PORT https $BARE_APISERVER_PORT /readyz"
  "kube-controller-manager $KCM_PORT https $KCM_PORT /healthz"
  "kube-scheduler $SCHEDULER_PORT https $SCHEDULER_PORT /healthz"
  "cluster-agent - none"
  "kwok $KWOK_PORT https $KWOK_PORT /healthz"
  "kwok-gvisor $KWOK_GVISOR_PORT https $KWOK_GVISOR_PORT /healthz"
  "agent-sandbox-controller $CONTROLLER_PROBE_PORT http $CONTROLLER_PROBE_PORT /readyz"
  "sandbox-router $ROUTER_PORT http $ROUTER_PROBE_PORT /readyz"
  "sandbox-router-auth $ROUTER_AUTH_PORT http $ROUTER_AUTH_PROBE_PORT /readyz"
)
if [[ -n ${V05_APISERVER_PORT:-} ]]; then
  rows+=("kube-apiserver-v05 $V05_APISERVER_PORT https $V05_APISERVER_PORT /readyz"
    "kube-controller-manager-v05 $V05_KCM_PORT https $V05_KCM_PORT /healthz"
    "kube-scheduler-v05 $V05_SCHEDULER_PORT https $V05_SCHEDULER_PORT /healthz"
    "cluster-agent-v05 - none"
    "kwok-v05 $V05_KWOK_PORT https $V05_KWOK_PORT /healthz"
    "kwok-gvisor-v05 $V05_KWOK_GVISOR_PORT https $V05_KWOK_GVISOR_PORT /healthz"
    "agent-sandbox-controller-v05 $V05_CONTROLLER_PROBE_PORT http $V05_CONTROLLER_PROBE_PORT /readyz")
fi
if [[ $AS_API == v1beta1 ]]; then
  rows+=("kube-apiserver-v1alpha1 $V1ALPHA1_APISERVER_PORT https $V1ALPHA1_APISERVER_PORT /readyz"
    "agent-sandbox-controller-v1alpha1 $V1ALPHA1_CONTROLLER_PROBE_PORT http $V1ALPHA1_CONTROLLER_PROBE_PORT /readyz")
fi

# One process snapshot for the RSS figures: RSS of each component plus everything below it
# (runsc's sandbox and gofer, commands exec'd in sandboxes).
declare -A kids=() rss_of=()
if ! $quiet; then
  while read -r p pp r; do kids[$pp]+=" $p"; rss_of[$p]=$r; done < <(ps -e -o pid=,ppid=,rss=)
fi
tree_rss() {
  local sum=0 queue=("$1") p
  while ((${#queue[@]})); do
    p=${queue[0]}; queue=("${queue[@]:1}")
    sum=$((sum + ${rss_of[$p]:-0}))
    for k in ${kids[$p]:-}; do queue+=("$k"); done
  done
  echo "$sum"
}
ok=0 total_rss=0
$quiet || printf '%-34s %-8s %-7s %-8s %s\n' COMPONENT PID PORT HEALTH RSS_MB
for row in "${rows[@]}"; do
  read -r name port kind cport path <<<"$row"
  health=down rss=0
  if pid=$(pid_of "$name"); then
    health=ok
    if [[ $kind != none ]] && ! "$kind" "$cport" "$path"; then health=unhealthy; fi
    $quiet || rss=$(tree_rss "$pid")
  else
    pid=-
  fi
  [[ $health == ok ]] || ok=1
  total_rss=$((total_rss + rss))
  $quiet || printf '%-34s %-8s %-7s %-8s %s\n' "$name" "$pid" "$port" "$health" "$((rss / 1024))"
done
if ! $quiet; then
  echo "total RSS: $((total_rss / 1024)) MB"
  echo "kubeconfig: $RUN/kubeconfig  env: $RUN/env  logs: $RUN/logs"
  echo "router: $(sed -n 's/^ROUTER_URL=//p' "$RUN/env")/<namespace>/<pod>/<port>/ (path routing, Pod-IP cache; $(sed -n 's/^ROUTER_AUTH_URL=//p' "$RUN/env") wants a Bearer token)"
  if ((ok == 0)); then
    "$BIN/kubectl" --kubeconfig="$RUN/kube/main.kubeconfig" --request-timeout=10s -n "$DEMO_NAMESPACE" get sandboxwarmpools,sandboxes,pods 2>&1 | sed 's/^/  /'
    echo "status: healthy"
  else
    echo "status: UNHEALTHY"
  fi
fi
exit "$ok"
