# Shared settings and helpers for the local cluster scripts (sourced, not executed).
# Versions are overridable by variables.
#
# Where things live:
#   $CACHE/store/<artefact>-<recipe hash>/   each build (build.sh), hard-linked into:
#   $CACHE/bin/k8s-<K8S>.kwok-<KWOK>/   the binaries the scripts run (kept across runs, outside the repo):
#       kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok (patched)
#       agent-sandbox-controller-<version> (one per agent-sandbox version) cluster-agent
#       sandbox-router-<version>
#   $RUN (tmpfs, removed by down.sh):
#       env  kubeconfig            the interface for tests (see up.sh for the keys)
#       pki/                       CA, serving cert (SAN 127.0.0.1), client certs, SA key
#       kube/<cluster>.kubeconfig  admin kubeconfigs the components use
#       etcd/                      data of the one etcd all control planes share (key prefixes)
#       logs/<component>.log  pids/<component>.pid
#       pods/<ns>/<pod>/           each sandbox pod's private working directory (exec cwd, $HOME)
#       podlogs/<ns>/<pod>.log     what `kubectl logs` shows for that pod
#       volumes/<ns>/pvc-<uid>/    PersistentVolume data (survives pod deletion, i.e. hibernate)
#       gvisor/                    OCI bundle and runsc state of the gVisor node's KWOK
#       v05/                       the same pods/ podlogs/ volumes/ gvisor/ for the v0.5 cluster
K8S=${K8S:-v1.36.3}
KWOK=${KWOK:-v0.8.0}
AS=${AGENT_SANDBOX_VERSION:-v1.0.3} # the main cluster (v1.0.x serves only v1beta1, no webhook)
AS_V05=v0.5.6   # both versions + conversion webhook (the agent-sandbox-v0.5 context, a full cluster)
AS_ALPHA=v0.4.6 # the last release that serves only v1alpha1 (for the agent-sandbox-v1alpha1 context)
# The Go sandbox router (sandbox-router/ in the controller's module, since v1.0) of the main cluster.
AS_ROUTER=${AS_ROUTER_VERSION:-v1.0.3}
ROUTER_PREFIX=/router # --path-routing-prefix: <prefix>/<namespace>/<pod>/<port>/...
# Pod CIDRs inside 127.0.0.0/8: every pod IP is a loopback address of this machine (cluster-agent
# assigns them), so the router reaches pods by IP and two sandboxes can serve the same port.
# cluster key -> node=cidr list (the clusters share the host's loopback, so they must not overlap).
pod_cidrs() {
  case $1 in
    main) echo "kwok-node=127.244.0.0/16,kwok-gvisor-node=127.245.0.0/16" ;;
    *) echo "kwok-node=127.246.0.0/16,kwok-gvisor-node=127.247.0.0/16" ;;
  esac
}
# AS_MATRIX=0 skips the v0.5 cluster (faster start when only the main cluster is needed).
MATRIX=${AS_MATRIX:-1}
# The project cache is AGENT_SANDBOX_CACHE (scripts/cache.mjs); AS_CLUSTER_CACHE overrides its cluster part.
CACHE=${AS_CLUSTER_CACHE:-${AGENT_SANDBOX_CACHE:-${AGENT_SANDBOX_VSCODE_CACHE:-$HOME/.cache/agent-sandbox-vscode}}/cluster}
BIN="$CACHE/bin/k8s-$K8S.kwok-$KWOK"
RUN=${AS_CLUSTER_RUN:-/dev/shm/agent-sandbox-vscode}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEMO_NAMESPACE=agent-sandbox-demo
# Processes of the cluster, in start order (down.sh stops them in reverse).
# Components of the v0.5 cluster carry the suffix -v05.
COMPONENTS=(etcd kube-apiserver kube-apiserver-v05 kube-apiserver-bare kube-apiserver-v1alpha1
  kube-controller-manager kube-controller-manager-v05 kube-scheduler kube-scheduler-v05
  cluster-agent cluster-agent-v05 kwok kwok-gvisor kwok-v05 kwok-gvisor-v05
  agent-sandbox-controller agent-sandbox-controller-v05 agent-sandbox-controller-v1alpha1
  sandbox-router sandbox-router-auth)
# A pids cgroup that every started process joins, so down.sh also finds what sandboxes started
# in the background (exec'd servers etc.). Optional: without it down.sh walks the process tree.
RUN_ID=$(printf %s "$RUN" | md5sum | cut -c1-8)
CGROUP=/sys/fs/cgroup/pids/agent-sandbox-vscode.$RUN_ID
# runsc container ids are machine-wide (abstract control socket), so one per $RUN.
GVISOR_ID=agent-sandbox-kwok.$RUN_ID # the v0.5 cluster's is $GVISOR_ID-v05
# up.sh keeps the logs of a failed start here (down.sh deletes $RUN).
FAILED_LOGS="$CACHE/failed-start-logs"

# lock: serialises up.sh, down.sh and restart-apiserver.sh per $RUN (test suites may call
# cluster:up concurrently; build.sh has its own lock). Nested calls (up.sh running down.sh)
# inherit the lock.
lock() {
  [[ ${AS_CLUSTER_LOCKED:-} == "$RUN_ID" ]] && return 0
  mkdir -p "$CACHE/locks"
  exec 9>"$CACHE/locks/$RUN_ID.lock"
  if ! flock -n 9; then
    log "waiting for another cluster script working on $RUN"
    flock -w 900 9 || die "timed out waiting for the lock $CACHE/locks/$RUN_ID.lock"
  fi
  export AS_CLUSTER_LOCKED=$RUN_ID
}

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

# pid_of NAME: the recorded PID if that process is still alive, else nothing.
pid_of() {
  local f="$RUN/pids/$1.pid" pid
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# start_bg NAME CMD...: runs CMD in its own session with output in logs/NAME.log; records the PID.
# The process joins $CGROUP before exec, so all its descendants are in it too.
start_bg() {
  local name=$1; shift
  mkdir -p "$RUN/logs" "$RUN/pids"
  # fds 8/9 are the scripts' lock files: a daemon must not keep them (and so the lock) open.
  setsid bash -c 'echo $$ >"$0/cgroup.procs" 2>/dev/null; exec "$@"' "$CGROUP" "$@" \
    >>"$RUN/logs/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$RUN/pids/$name.pid"
}

# wait_until DESC SECONDS LOGNAME CMD...: polls CMD until it succeeds; on timeout shows the log, fails.
wait_until() {
  local desc=$1 secs=$2 logname=$3; shift 3
  local deadline=$((SECONDS + secs)) start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if [[ -n $logname ]] && ! pid_of "$logname" >/dev/null; then
      fail_with_log "$logname" "$logname exited while waiting for $desc"
    fi
    ((SECONDS < deadline)) || fail_with_log "$logname" "timed out after ${secs}s waiting for $desc"
    sleep 0.3
  done
  ((SECONDS - start < 3)) || log "waited $((SECONDS - start))s for $desc"
}

fail_with_log() {
  local logname=$1 msg=$2
  if [[ -n $logname && -f $RUN/logs/$logname.log ]]; then
    printf '[cluster] ---- last lines of %s ----\n' "$RUN/logs/$logname.log" >&2
    tail -n 40 "$RUN/logs/$logname.log" >&2
    printf '[cluster] ----\n' >&2
  fi
  die "$msg (logs: $RUN/logs)"
}

kc() { "$BIN/kubectl" --kubeconfig="$RUN/kube/main.kubeconfig" --request-timeout=60s "$@"; }

http_ok() { curl -fsS --max-time 2 -o /dev/null "$@"; }

# apiserver_args CLUSTER PORT: the kube-apiserver flags of one control plane; shared by up.sh and
# restart-apiserver.sh so a restart uses exactly the same flags. All control planes share one etcd
# under different key prefixes and one PKI.
apiserver_args() {
  local cluster=$1 port=$2 p="$RUN/pki"
  local args=(
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --etcd-prefix="/$cluster/registry"
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$port"
    --tls-cert-file="$p/serving.crt" --tls-private-key-file="$p/serving.key" --client-ca-file="$p/ca.crt"
    --service-account-issuer=https://kubernetes.default.svc.cluster.local
    --service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/sa.key"
    --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true
    --endpoint-reconciler-type=none --enable-priority-and-fairness=false
    --max-requests-inflight=0 --max-mutating-requests-inflight=0
    # The "kubelets" are KWOK processes on loopback; both node addresses are 127.0.0.1/localhost.
    --kubelet-client-certificate="$p/admin.crt" --kubelet-client-key="$p/admin.key"
    --kubelet-preferred-address-types=InternalIP,Hostname
    # Front-proxy settings (aggregation layer); without them KCM and the scheduler log errors.
    --requestheader-client-ca-file="$p/ca.crt" --requestheader-allowed-names=front-proxy-client
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group
    --requestheader-extra-headers-prefix=X-Remote-Extra-
    --proxy-client-cert-file="$p/front-proxy-client.crt" --proxy-client-key-file="$p/front-proxy-client.key"
    --profiling=false
  )
  printf '%s\n' "${args[@]}"
}
