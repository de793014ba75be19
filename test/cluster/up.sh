#!/usr/bin/env bash
# Starts the local Kubernetes test cluster (npm run cluster:up). Idempotent: when the cluster is
# already up, healthy and made by these same scripts and versions, it only prints where it is.
#
# Everything is a background process on 127.0.0.1 (free ports), PIDs in $RUN/pids:
#   etcd                           one store for every control plane (key prefix per cluster)
#   kube-apiserver                 main cluster: context agent-sandbox-local / agent-sandbox-limited
#   kube-controller-manager, kube-scheduler
#   kwok                           fake kubelet of node kwok-node: exec/logs/port-forward run on the host
#   kwok-gvisor                    the same for kwok-gvisor-node, but KWOK itself runs inside gVisor
#                                  (runsc --network=host), so everything exec'd there is in gVisor
#   cluster-agent                  PV provisioner + per-pod working directories (test/cluster/agent)
#   agent-sandbox-controller       $AGENT_SANDBOX_VERSION (default v1.0.3, v1beta1 only) with
#                                  --extensions; on v0.5.x also the v1alpha1<->v1beta1 conversion
#                                  webhook on loopback
#   *-v05                          a second full cluster (own apiserver, KCM, scheduler, both KWOK
#                                  nodes, cluster-agent) running agent-sandbox v0.5.6 with its
#                                  conversion webhook: context agent-sandbox-v0.5 (AS_MATRIX=0: off)
#   kube-apiserver-bare            second control plane without agent-sandbox: context agent-sandbox-bare
#   kube-apiserver-v1alpha1 + agent-sandbox-controller-v1alpha1 (v0.4.6, v1alpha1 only; no nodes,
#                                  so its pods stay Pending): context agent-sandbox-v1alpha1
#   sandbox-router                 the Go sandbox router ($AS_ROUTER) of the main cluster: path
#                                  routing under /router, Pod-IP cache, no auth; sandbox-router-auth:
#                                  the same with --authz-mode=tokenreview and a required Bearer token
#
# Output: $RUN/kubeconfig (all contexts) and $RUN/env (KEY=VALUE, sourceable; keys at the end).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
T0=$SECONDS
lock

api_of() { # agent-sandbox version -> the API version our tests speak to it
  case $1 in
    v1.* | v0.5.*) echo v1beta1 ;;
    v0.4.*) echo v1alpha1 ;;
    *) die "AGENT_SANDBOX_VERSION=$1 is not supported here (use v1.x, v0.5.x or v0.4.x)" ;;
  esac
}
AS_API=$(api_of "$AS")
V05=false; [[ $AS == v1.* && $MATRIX == 1 ]] && V05=true

# ---- already up? ----
# The cluster is reused only if it was made by these very scripts/sources and versions
# (comment-only lines do not count).
SPEC=$( (echo "$K8S $KWOK $AS $V05"; cat "$HERE"/{lib,up,build}.sh "$HERE"/manifests/* "$HERE"/patches/* \
  "$HERE"/agent/go.mod "$HERE"/agent/*.go) | grep -Ev '^[[:space:]]*(#|//)' | sha256sum | cut -c1-16)
if [[ -f $RUN/env ]]; then
  if [[ $(sed -n 's/^CLUSTER_SPEC=//p' "$RUN/env") == "$SPEC" ]] && bash "$HERE/status.sh" --quiet; then
    log "cluster already up and healthy ($AS)"
    echo "$RUN/kubeconfig"
    exit 0
  fi
  log "the cluster in $RUN is unhealthy or was made by other scripts or versions: recreating it"
fi
bash "$HERE/down.sh" --quiet

# A failed start stops whatever it started; the logs are kept in $FAILED_LOGS.
on_exit() {
  local rc=$?
  ((rc == 0)) && return
  rm -rf "$FAILED_LOGS" && mkdir -p "$FAILED_LOGS" && cp -r "$RUN/logs/." "$FAILED_LOGS/" 2>/dev/null || true
  bash "$HERE/down.sh" --quiet || true
  log "start failed; stopped the partial cluster; component logs kept in $FAILED_LOGS"
}
trap on_exit EXIT

# ---- host packages ----
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v runsc >/dev/null || need+=(runsc)
command -v busybox >/dev/null || need+=(busybox-static)
command -v curl >/dev/null || need+=(curl)
command -v patch >/dev/null || need+=(patch)
# The silent-drop integration tests drop this cluster's loopback packets with iptables.
command -v iptables >/dev/null || need+=(iptables)
if ((${#need[@]})); then
  ((EUID == 0)) || die "missing packages ${need[*]}; install them (apt-get install ${need[*]}) or run as root"
  log "installing ${need[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---- inotify ----
# Each controller, kwok and the apiservers hold inotify instances; with the v0.5 cluster, code-server
# and Chromium beside them the default of 128 per user runs out and a controller exits with "too
# many open files". Raised (never lowered) when we may.
if (( EUID == 0 )) && (( $(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 512) < 512 )); then
  log "raising fs.inotify.max_user_instances to 512 (was $(cat /proc/sys/fs/inotify/max_user_instances))"
  echo 512 >/proc/sys/fs/inotify/max_user_instances || log "note: could not raise fs.inotify.max_user_instances"
fi

# ---- binaries (cached) ----
bash "$HERE/build.sh"
export PATH="$BIN:$PATH"

mkdir -p "$RUN"/{pki,kube,logs,pids,pods,podlogs,volumes,crds,gvisor,etcd}
chmod 700 "$RUN/etcd" "$RUN/pki"
mkdir -p "$CGROUP" 2>/dev/null || log "note: no pids cgroup ($CGROUP); down.sh will walk the process tree"

# ---- ports ----
read -r -d '' ETCD_PORT ETCD_PEER_PORT APISERVER_PORT BARE_PORT ALPHA_PORT KCM_PORT SCHED_PORT \
  KWOK_PORT KWOK_GVISOR_PORT WEBHOOK_PORT CTRL_METRICS_PORT CTRL_PROBE_PORT \
  ALPHA_METRICS_PORT ALPHA_PROBE_PORT V05_PORT V05_KCM_PORT V05_SCHED_PORT V05_KWOK_PORT \
  V05_KWOK_GVISOR_PORT V05_WEBHOOK_PORT V05_CTRL_METRICS_PORT V05_CTRL_PROBE_PORT \
  ROUTER_PORT ROUTER_METRICS_PORT ROUTER_PROBE_PORT ROUTER_AUTH_PORT ROUTER_AUTH_METRICS_PORT ROUTER_AUTH_PROBE_PORT \
  < <("$BIN/cluster-agent" freeports 28; printf '\0') || true
[[ -n $ROUTER_AUTH_PROBE_PORT ]] || die "could not allocate free ports"
cat >"$RUN/ports" <<EOF
ETCD_PORT=$ETCD_PORT
APISERVER_PORT=$APISERVER_PORT
BARE_APISERVER_PORT=$BARE_PORT
V1ALPHA1_APISERVER_PORT=$ALPHA_PORT
KCM_PORT=$KCM_PORT
SCHEDULER_PORT=$SCHED_PORT
KWOK_PORT=$KWOK_PORT
KWOK_GVISOR_PORT=$KWOK_GVISOR_PORT
WEBHOOK_PORT=$WEBHOOK_PORT
CONTROLLER_METRICS_PORT=$CTRL_METRICS_PORT
CONTROLLER_PROBE_PORT=$CTRL_PROBE_PORT
V1ALPHA1_CONTROLLER_METRICS_PORT=$ALPHA_METRICS_PORT
V1ALPHA1_CONTROLLER_PROBE_PORT=$ALPHA_PROBE_PORT
ROUTER_PORT=$ROUTER_PORT
ROUTER_PROBE_PORT=$ROUTER_PROBE_PORT
ROUTER_AUTH_PORT=$ROUTER_AUTH_PORT
ROUTER_AUTH_PROBE_PORT=$ROUTER_AUTH_PROBE_PORT
EOF
$V05 && cat >>"$RUN/ports" <<EOF
V05_APISERVER_PORT=$V05_PORT
V05_KCM_PORT=$V05_KCM_PORT
V05_SCHEDULER_PORT=$V05_SCHED_PORT
V05_KWOK_PORT=$V05_KWOK_PORT
V05_KWOK_GVISOR_PORT=$V05_KWOK_GVISOR_PORT
V05_WEBHOOK_PORT=$V05_WEBHOOK_PORT
V05_CONTROLLER_METRICS_PORT=$V05_CTRL_METRICS_PORT
V05_CONTROLLER_PROBE_PORT=$V05_CTRL_PROBE_PORT
EOF

# ---- PKI: one CA; one serving cert (SAN 127.0.0.1) for apiservers, KWOK and the webhook ----
P=$RUN/pki
gen_cert() { # name subject extensions
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$P/$1.key" \
    -subj "$2" -out "$P/$1.csr" 2>/dev/null
  openssl x509 -req -in "$P/$1.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -days 3650 \
    -extfile <(printf '%s\n' "$3") -out "$P/$1.crt" 2>/dev/null
}
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
  -subj "/CN=agent-sandbox-local-ca" -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
gen_cert serving "/CN=127.0.0.1" "$(printf '%s\n' 'keyUsage=critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage=serverAuth,clientAuth' \
  'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local')"
gen_cert admin "/O=system:masters/CN=kubernetes-admin" "extendedKeyUsage=clientAuth"
gen_cert limited "/CN=agent-sandbox-limited" "extendedKeyUsage=clientAuth"
gen_cert front-proxy-client "/CN=front-proxy-client" "extendedKeyUsage=clientAuth"
openssl ecparam -name prime256v1 -genkey -noout -out "$P/sa.key" 2>/dev/null
openssl ec -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
mkdir -p "$P/webhook" && cp "$P/serving.crt" "$P/webhook/tls.crt" && cp "$P/serving.key" "$P/webhook/tls.key"

# Admin kubeconfigs the components use (one per control plane).
for c in main:$APISERVER_PORT bare:$BARE_PORT v1alpha1:$ALPHA_PORT v05:$V05_PORT; do
  cat >"$RUN/kube/${c%%:*}.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- cluster: {server: "https://127.0.0.1:${c#*:}", certificate-authority: "$P/ca.crt"}
  name: local
users:
- user: {client-certificate: "$P/admin.crt", client-key: "$P/admin.key"}
  name: admin
contexts:
- context: {cluster: local, user: admin}
  name: local
current-context: local
EOF
done

# ---- etcd + the kube-apiservers ----
# Test data: no fsync (and it is on tmpfs anyway).
start_bg etcd "$BIN/etcd" --name=local --unsafe-no-fsync --log-level=warn --data-dir="$RUN/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="local=http://127.0.0.1:$ETCD_PEER_PORT" --auto-compaction-retention=1 \
  --quota-backend-bytes=4294967296 --snapshot-count=100000
wait_until "etcd /health" 30 etcd http_ok "http://127.0.0.1:$ETCD_PORT/health"

apiserver_ready() { "$BIN/kubectl" --kubeconfig="$RUN/kube/$1.kubeconfig" --request-timeout=5s get --raw /readyz; }
# Every control plane boots at once; the main one is set up first while the others finish booting.
mapfile -t args < <(apiserver_args main "$APISERVER_PORT")
start_bg kube-apiserver "$BIN/kube-apiserver" "${args[@]}"
if $V05; then
  mapfile -t args < <(apiserver_args v05 "$V05_PORT")
  start_bg kube-apiserver-v05 "$BIN/kube-apiserver" "${args[@]}"
fi
mapfile -t args < <(apiserver_args bare "$BARE_PORT")
start_bg kube-apiserver-bare "$BIN/kube-apiserver" "${args[@]}"
if [[ $AS_API == v1beta1 ]]; then
  mapfile -t args < <(apiserver_args v1alpha1 "$ALPHA_PORT")
  start_bg kube-apiserver-v1alpha1 "$BIN/kube-apiserver" "${args[@]}"
fi

# ---- shared inputs: module sources, KWOK's CRDs and stages ----
mod_dir() { GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
KWOK_DIR=$(mod_dir "sigs.k8s.io/kwok@$KWOK")
[[ -d $KWOK_DIR/kustomize/crd/bases ]] || die "module sources not found (kwok: '$KWOK_DIR')"
rm -rf "$RUN/crds" && mkdir -p "$RUN/crds/kwok"
# Only the KWOK kinds that are enabled below (fewer CRDs = less apiserver work).
for c in execs clusterexecs logs clusterlogs portforwards clusterportforwards attaches clusterattaches; do
  cp "$KWOK_DIR/kustomize/crd/bases/kwok.x-k8s.io_$c.yaml" "$RUN/crds/kwok/"
done
# Stages: KWOK's "fast" node/pod stages, except that pods only become Ready once cluster-agent has
# prepared them (annotation kwok.local/prepared=true), so exec works as soon as a pod is Ready, and
# that the pod IP is the one cluster-agent chose (annotation kwok.local/pod-ip, already in $POD_IP
# of exec'd commands) instead of one KWOK picks only at that moment.
KCONF=$RUN/kwok.yaml
{
  for s in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-complete pod/fast/pod-delete; do
    cat "$KWOK_DIR/kustomize/stage/$s.yaml"; echo "---"
  done
  sed '/^    matchExpressions:$/a\
    - key: '"'"'.metadata.annotations["kwok.local/prepared"]'"'"'\
      operator: In\
      values: ["true"]' "$KWOK_DIR/kustomize/stage/pod/fast/pod-ready.yaml" |
    sed 's|PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" )|list (index .metadata.annotations "kwok.local/pod-ip")|'
} >"$KCONF"
grep -q 'kwok.local/prepared' "$KCONF" || die "could not add the readiness gate to KWOK's pod-ready stage"
grep -q 'index .metadata.annotations "kwok.local/pod-ip"' "$KCONF" || die "could not make KWOK's pod-ready stage use cluster-agent's pod IP"
# Exec'd commands inherit KWOK's environment: keep it minimal (cluster-agent adds HOME etc. per pod).
BASE_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=xterm-256color LANG=C.UTF-8)
json_list() { local s="" a; for a in "$@"; do s+="${s:+, }\"$a\""; done; printf '[%s]' "$s"; }
caps=$(json_list CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID \
  CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP)
health_paths=/healthz,/readyz,/livez,/metrics

# cluster_up KEY SUFFIX VERSION DIR API KCM SCHED KWOK KWOK_GVISOR WEBHOOK METRICS PROBE: one full
# cluster (controllers, CRDs, both nodes, agent-sandbox VERSION, demo objects) on the apiserver of
# kube/KEY.kubeconfig. Its components are named <component>SUFFIX; its pods, volumes and gVisor
# state live under DIR.
cluster_up() {
  local key=$1 sfx=$2 ver=$3 dir=$4 api_port=$5 kcm_port=$6 sched_port=$7 kwok_port=$8 kwok_gv_port=$9
  local webhook_port=${10} metrics_port=${11} probe_port=${12}
  local kcfg="$RUN/kube/$key.kubeconfig" gvid=$GVISOR_ID$sfx api as_dir f ca
  api=$(api_of "$ver")
  kk() { "$BIN/kubectl" --kubeconfig="$kcfg" --request-timeout=60s "$@"; }
  mkdir -p "$dir"/{pods,podlogs,volumes,gvisor/bundle,gvisor/state}
  wait_until "kube-apiserver$sfx /readyz" 120 "kube-apiserver$sfx" apiserver_ready "$key"
  log "kube-apiserver$sfx ready on https://127.0.0.1:$api_port after $((SECONDS - T0))s"

  # ---- controllers ----
  start_bg "kube-controller-manager$sfx" "$BIN/kube-controller-manager" --kubeconfig="$kcfg" \
    --authentication-kubeconfig="$kcfg" --authorization-kubeconfig="$kcfg" \
    --leader-elect=false --bind-address=127.0.0.1 --secure-port="$kcm_port" \
    --authorization-always-allow-paths="$health_paths" \
    --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
    --use-service-account-credentials=false --node-monitor-period=25s --node-monitor-grace-period=3m20s \
    --kube-api-qps=1000 --kube-api-burst=2000 --profiling=false
  start_bg "kube-scheduler$sfx" "$BIN/kube-scheduler" --kubeconfig="$kcfg" \
    --authentication-kubeconfig="$kcfg" --authorization-kubeconfig="$kcfg" \
    --leader-elect=false --bind-address=127.0.0.1 --secure-port="$sched_port" \
    --authorization-always-allow-paths="$health_paths" --kube-api-qps=1000 --kube-api-burst=2000 --profiling=false
  start_bg "cluster-agent$sfx" "$BIN/cluster-agent" --kubeconfig="$kcfg" --run-dir="$dir" \
    --runsc-root="$dir/gvisor/state" --gvisor-id="$gvid" --pod-cidrs="$(pod_cidrs "$key")"

  # ---- CRDs: KWOK's (Exec, Logs, PortForward, ...) and agent-sandbox's from the Go module cache ----
  as_dir=$(mod_dir "sigs.k8s.io/agent-sandbox@$ver")
  [[ -d $as_dir/k8s/crds ]] || die "module sources not found (agent-sandbox $ver: '$as_dir')"
  rm -rf "$RUN/crds/$key" && mkdir -p "$RUN/crds/$key"
  cp "$as_dir"/k8s/crds/*.yaml "$RUN/crds/$key/"
  chmod -R u+w "$RUN/crds/$key"
  if [[ $ver == v0.5.* ]]; then
    # Conversion webhook served by the controller on loopback (no Service needed): both versions
    # work. Patched into the files before applying: every CRD update makes the apiserver rebuild
    # its OpenAPI spec, which is slow on 2 cores.
    ca=$(base64 -w0 "$P/ca.crt")
    for f in "$RUN/crds/$key"/*.yaml; do
      kk patch --local -f "$f" --type=merge -o yaml -p "{\"spec\":{\"conversion\":{\"strategy\":\"Webhook\",\"webhook\":{\"conversionReviewVersions\":[\"v1\",\"v1beta1\"],\"clientConfig\":{\"service\":null,\"url\":\"https://127.0.0.1:$webhook_port/convert\",\"caBundle\":\"$ca\"}}}}}" >"$f.patched"
      mv "$f.patched" "$f"
    done
  fi
  kk apply --server-side --force-conflicts -f "$RUN/crds/kwok/" -f "$RUN/crds/$key/" >/dev/null
  kk wait --for=condition=Established crd --all --timeout=60s >/dev/null

  # ---- nodes, runtime class, storage class, namespaces, RBAC ----
  kk apply -f "$HERE/manifests/base.yaml" -f "$HERE/manifests/limited-rbac.yaml" >/dev/null

  # ---- KWOK: one process per node ----
  kwok_args() { # node port pod-cidr
    printf '%s\n' --kubeconfig="$kcfg" --config="$KCONF" --manage-single-node="$1" --cidr="$3" \
      --node-ip=127.0.0.1 --node-name=localhost --node-port="$2" --server-address="127.0.0.1:$2" \
      --tls-cert-file="$P/serving.crt" --tls-private-key-file="$P/serving.key" --node-lease-duration-seconds=40 \
      --enable-crds=Exec,ClusterExec,Logs,ClusterLogs,PortForward,ClusterPortForward,Attach,ClusterAttach
  }
  local cidrs; cidrs=$(pod_cidrs "$key") # KWOK's own pool is unused (the stage takes cluster-agent's IP)
  cidrs=${cidrs#kwok-node=}
  mapfile -t args < <(kwok_args kwok-node "$kwok_port" "${cidrs%%,*}")
  start_bg "kwok$sfx" env -i "${BASE_ENV[@]}" "$BIN/kwok" "${args[@]}"

  # The gVisor node: the KWOK process runs inside runsc on an OCI bundle whose root is the host's /
  # (read-only), with $RUN bind-mounted read-write so pod working directories and volumes are shared,
  # and $BIN bound too: a cache under /tmp (AGENT_SANDBOX_CACHE) is hidden by the sandbox's own /tmp.
  # --network=host: it serves its kubelet API on the host's loopback and reaches the apiserver there.
  mapfile -t args < <(kwok_args kwok-gvisor-node "$kwok_gv_port" "${cidrs#*kwok-gvisor-node=}")
  cat >"$dir/gvisor/bundle/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "user": {"uid": 0, "gid": 0},
    "args": $(json_list "$BIN/kwok" "${args[@]}"),
    "env": $(json_list "${BASE_ENV[@]}"),
    "cwd": "/",
    "capabilities": {"bounding": $caps, "effective": $caps, "permitted": $caps},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 65536, "soft": 65536}]
  },
  "root": {"path": "/", "readonly": true},
  "hostname": "kwok-gvisor-node",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "nodev", "mode=1777"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]},
    {"destination": "$RUN", "type": "bind", "source": "$RUN", "options": ["rbind", "rw"]},
    {"destination": "$BIN", "type": "bind", "source": "$BIN", "options": ["rbind", "ro"]}
  ],
  "linux": {"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
}
EOF
  start_bg "kwok-gvisor$sfx" runsc --root="$dir/gvisor/state" --network=host --ignore-cgroups \
    run --bundle="$dir/gvisor/bundle" "$gvid"

  # ---- agent-sandbox controller ----
  local ctrl_args=(--extensions --leader-elect=false
    --metrics-bind-address="127.0.0.1:$metrics_port" --health-probe-bind-address="127.0.0.1:$probe_port"
    --sandbox-concurrent-workers=4 --sandbox-claim-concurrent-workers=4)
  if [[ $ver == v0.5.* ]]; then
    # The webhook server has no bind-address flag: it listens on all interfaces at its port.
    ctrl_args+=(--enable-webhook=true --manage-webhook-certs=false --webhook-cert-dir="$P/webhook"
      --webhook-port="$webhook_port")
  fi
  start_bg "agent-sandbox-controller$sfx" env KUBECONFIG="$kcfg" \
    "$BIN/agent-sandbox-controller-$ver" "${ctrl_args[@]}"

  wait_until "node kwok-node$sfx Ready" 60 "kwok$sfx" kk wait --for=condition=Ready node/kwok-node --timeout=2s
  wait_until "node kwok-gvisor-node$sfx Ready (KWOK inside runsc)" 60 "kwok-gvisor$sfx" \
    kk wait --for=condition=Ready node/kwok-gvisor-node --timeout=2s
  wait_until "agent-sandbox-controller$sfx /readyz" 60 "agent-sandbox-controller$sfx" http_ok "http://127.0.0.1:$probe_port/readyz"
  wait_until "cluster-agent$sfx sync" 30 "cluster-agent$sfx" test -f "$dir/cluster-agent.synced"
  wait_until "kube-scheduler$sfx /healthz" 30 "kube-scheduler$sfx" http_ok -k "https://127.0.0.1:$sched_port/healthz"
  wait_until "kube-controller-manager$sfx /healthz" 30 "kube-controller-manager$sfx" http_ok -k "https://127.0.0.1:$kcm_port/healthz"
  log "cluster $key (agent-sandbox $ver): control plane, nodes and controllers up after $((SECONDS - T0))s"

  # ---- demo: template + warm pool ----
  # ServiceAccount admission rejects pods until KCM created the namespace's default ServiceAccount.
  wait_until "serviceaccount default in $DEMO_NAMESPACE ($key)" 60 "kube-controller-manager$sfx" kk -n "$DEMO_NAMESPACE" get sa default
  kk apply -f "$HERE/manifests/demo-$api.yaml" >/dev/null
}
cluster_up main "" "$AS" "$RUN" "$APISERVER_PORT" "$KCM_PORT" "$SCHED_PORT" "$KWOK_PORT" "$KWOK_GVISOR_PORT" \
  "$WEBHOOK_PORT" "$CTRL_METRICS_PORT" "$CTRL_PROBE_PORT"
if $V05; then
  cluster_up v05 -v05 "$AS_V05" "$RUN/v05" "$V05_PORT" "$V05_KCM_PORT" "$V05_SCHED_PORT" "$V05_KWOK_PORT" \
    "$V05_KWOK_GVISOR_PORT" "$V05_WEBHOOK_PORT" "$V05_CTRL_METRICS_PORT" "$V05_CTRL_PROBE_PORT"
fi

# ---- the sandbox router (data plane) of the main cluster: reaches pods at their (loopback) pod IPs ----
# The Pod-IP cache watches sandbox pods with the admin kubeconfig (deploy/rbac.yaml's grant is a
# subset); path routing is for browsers, headers for SDKs. The second instance checks every
# request's Bearer token with the TokenReview API (what a Gateway-exposed router usually does).
router_args() { # port metrics-port probe-port
  printf '%s\n' --http-bind-address="127.0.0.1:$1" --metrics-bind-address="127.0.0.1:$2" \
    --health-probe-bind-address="127.0.0.1:$3" --path-routing-prefix="$ROUTER_PREFIX" \
    --cache-enabled=true --kubeconfig="$RUN/kube/main.kubeconfig" --upstream-max-retries=1 \
    --shutdown-timeout=2s --enable-tracing=false --enable-otel-metrics=false
}
mapfile -t args < <(router_args "$ROUTER_PORT" "$ROUTER_METRICS_PORT" "$ROUTER_PROBE_PORT")
start_bg sandbox-router "$BIN/sandbox-router-$AS_ROUTER" "${args[@]}"
mapfile -t args < <(router_args "$ROUTER_AUTH_PORT" "$ROUTER_AUTH_METRICS_PORT" "$ROUTER_AUTH_PROBE_PORT")
start_bg sandbox-router-auth "$BIN/sandbox-router-$AS_ROUTER" "${args[@]}" --authz-mode=tokenreview \
  --authz-tokenreview-require-token=true
wait_until "sandbox-router /readyz (Pod-IP cache synced)" 60 sandbox-router http_ok "http://127.0.0.1:$ROUTER_PROBE_PORT/readyz"
wait_until "sandbox-router-auth /readyz" 60 sandbox-router-auth http_ok "http://127.0.0.1:$ROUTER_AUTH_PROBE_PORT/readyz"

# ---- the bare and v1alpha1 control planes ----
wait_until "kube-apiserver-bare /readyz" 120 kube-apiserver-bare apiserver_ready bare
"$BIN/kubectl" --kubeconfig="$RUN/kube/bare.kubeconfig" --request-timeout=60s create namespace "$DEMO_NAMESPACE" >/dev/null
if [[ $AS_API == v1beta1 ]]; then
  ALPHA_DIR=$(mod_dir "sigs.k8s.io/agent-sandbox@$AS_ALPHA")
  mkdir -p "$RUN/crds/v1alpha1" && cp "$ALPHA_DIR"/k8s/crds/*.yaml "$RUN/crds/v1alpha1/" && chmod -R u+w "$RUN/crds/v1alpha1"
  ka() { "$BIN/kubectl" --kubeconfig="$RUN/kube/v1alpha1.kubeconfig" --request-timeout=60s "$@"; }
  wait_until "kube-apiserver-v1alpha1 /readyz" 120 kube-apiserver-v1alpha1 apiserver_ready v1alpha1
  ka apply --server-side -f "$RUN/crds/v1alpha1/" >/dev/null
  ka wait --for=condition=Established crd --all --timeout=60s >/dev/null
  # No KCM here, so create what it would have: the default ServiceAccount. No nodes either: the
  # warm pool's pods stay Pending (this control plane is for discovery/list/CRUD tests).
  ka apply -f "$HERE/manifests/base.yaml" -f "$HERE/manifests/limited-rbac.yaml" >/dev/null
  ka -n "$DEMO_NAMESPACE" create serviceaccount default >/dev/null
  start_bg agent-sandbox-controller-v1alpha1 env KUBECONFIG="$RUN/kube/v1alpha1.kubeconfig" \
    "$BIN/agent-sandbox-controller-$AS_ALPHA" --extensions --leader-elect=false \
    --metrics-bind-address="127.0.0.1:$ALPHA_METRICS_PORT" --health-probe-bind-address="127.0.0.1:$ALPHA_PROBE_PORT"
  ka apply -f "$HERE/manifests/demo-v1alpha1.yaml" >/dev/null
  wait_until "agent-sandbox-controller-v1alpha1 /readyz" 60 agent-sandbox-controller-v1alpha1 \
    http_ok "http://127.0.0.1:$ALPHA_PROBE_PORT/readyz"
fi

# ---- the user-facing kubeconfig (certificates embedded) ----
KC=$RUN/kubeconfig
rm -f "$KC"
kcfg() { "$BIN/kubectl" --kubeconfig="$KC" config "$@" >/dev/null; }
alpha_port=$ALPHA_PORT; [[ $AS_API == v1alpha1 ]] && alpha_port=$APISERVER_PORT
for c in local:$APISERVER_PORT bare:$BARE_PORT v1alpha1:$alpha_port; do
  kcfg set-cluster "agent-sandbox-${c%%:*}" --server="https://127.0.0.1:${c#*:}" --certificate-authority="$P/ca.crt" --embed-certs
done
kcfg set-credentials agent-sandbox-admin --client-certificate="$P/admin.crt" --client-key="$P/admin.key" --embed-certs
kcfg set-credentials agent-sandbox-limited --client-certificate="$P/limited.crt" --client-key="$P/limited.key" --embed-certs
kcfg set-context agent-sandbox-local --cluster=agent-sandbox-local --user=agent-sandbox-admin --namespace="$DEMO_NAMESPACE"
kcfg set-context agent-sandbox-limited --cluster=agent-sandbox-local --user=agent-sandbox-limited --namespace="$DEMO_NAMESPACE"
kcfg set-context agent-sandbox-bare --cluster=agent-sandbox-bare --user=agent-sandbox-admin --namespace="$DEMO_NAMESPACE"
kcfg set-context agent-sandbox-v1alpha1 --cluster=agent-sandbox-v1alpha1 --user=agent-sandbox-admin --namespace="$DEMO_NAMESPACE"
if $V05; then
  kcfg set-cluster agent-sandbox-v0.5 --server="https://127.0.0.1:$V05_PORT" --certificate-authority="$P/ca.crt" --embed-certs
  kcfg set-context agent-sandbox-v0.5 --cluster=agent-sandbox-v0.5 --user=agent-sandbox-admin --namespace="$DEMO_NAMESPACE"
fi
kcfg use-context agent-sandbox-local
chmod 600 "$KC"

# ---- wait for the warm pool ----
pool_ready() { [[ $("$BIN/kubectl" --kubeconfig="$RUN/kube/$1.kubeconfig" --request-timeout=60s -n "$DEMO_NAMESPACE" \
  get sandboxwarmpool python-pool -o jsonpath='{.status.readyReplicas}') == 2 ]]; }
wait_until "warm pool python-pool: 2 ready sandboxes" 180 agent-sandbox-controller pool_ready main
$V05 && wait_until "warm pool python-pool: 2 ready sandboxes (v0.5)" 180 agent-sandbox-controller-v05 pool_ready v05

# ---- env file for tests (sourceable KEY=VALUE lines) ----
{
  echo "KUBECONFIG=$KC"
  echo "KUBECTL=$BIN/kubectl"
  echo "AS_VERSION=$AS"
  echo "AS_API_VERSION=$AS_API"
  echo "AS_V1ALPHA1_VERSION=$([[ $AS_API == v1beta1 ]] && echo "$AS_ALPHA" || echo "$AS")"
  echo "K8S_VERSION=$K8S"
  echo "CLUSTER_SPEC=$SPEC"
  echo "CONTEXT=agent-sandbox-local"
  echo "CONTEXT_LIMITED=agent-sandbox-limited"
  echo "CONTEXT_BARE=agent-sandbox-bare"
  echo "CONTEXT_V1ALPHA1=agent-sandbox-v1alpha1"
  if $V05; then
    echo "CONTEXT_V05=agent-sandbox-v0.5"
    echo "AS_V05_VERSION=$AS_V05"
    echo "V05_RUN_DIR=$RUN/v05"
  fi
  echo "DEMO_NAMESPACE=$DEMO_NAMESPACE"
  echo "DEMO_TEMPLATE=python-gvisor"
  echo "DEMO_POOL=python-pool"
  echo "DEMO_CONTAINER=agent"
  echo "RUNTIME_CLASS=gvisor"
  echo "STORAGE_CLASS=local"
  echo "APISERVER_URL=https://127.0.0.1:$APISERVER_PORT"
  echo "RUN_DIR=$RUN"
  echo "PODS_DIR=$RUN/pods"
  echo "PODLOGS_DIR=$RUN/podlogs"
  echo "VOLUMES_DIR=$RUN/volumes"
  echo "LOGS_DIR=$RUN/logs"
  echo "CLUSTER_BIN=$BIN"
  echo "ROUTER_VERSION=$AS_ROUTER"
  echo "ROUTER_URL=http://127.0.0.1:$ROUTER_PORT$ROUTER_PREFIX"
  echo "ROUTER_AUTH_URL=http://127.0.0.1:$ROUTER_AUTH_PORT$ROUTER_PREFIX"
  cat "$RUN/ports"
} >"$RUN/env.tmp"
mv "$RUN/env.tmp" "$RUN/env"

log "cluster up in $((SECONDS - T0))s: agent-sandbox $AS ($AS_API)$($V05 && echo ", $AS_V05 (agent-sandbox-v0.5)"), contexts agent-sandbox-{local,limited,bare,v1alpha1$($V05 && echo ,v0.5)}"
log "export KUBECONFIG=$KC   (or: set -a; source $RUN/env; set +a)"
echo "$KC"
