#!/usr/bin/env bash
# Builds (once per version) every binary the local cluster needs, from Go modules through the Go
# module proxy, into $BIN (outside the repo, keyed by the k8s and KWOK versions):
#   kube-apiserver kube-controller-manager kube-scheduler kubectl   k8s.io/kubernetes@$K8S
#   etcd            go.etcd.io/etcd/server/v3 at the version k8s.io/kubernetes@$K8S pins (Debian's
#                   3.4.23 lacks RequestWatchProgress, which breaks client-go's streaming watch-list)
#   kwok            sigs.k8s.io/kwok@$KWOK with patches/kwok-*.patch applied (exec exit codes)
#   agent-sandbox-controller-<v>   for $AGENT_SANDBOX_VERSION and, with v0.5.x, also $AS_ALPHA
#   cluster-agent                  test/cluster/agent (rebuilt when its sources change)
# Each step is skipped when its output exists, so a warm run takes well under a second.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$BIN" "$CACHE/src"
AS_VERSIONS=("$AS")
[[ $AS == v0.5.* ]] && AS_VERSIONS+=("$AS_ALPHA")
AGENT_SUM=$(cat "$HERE"/agent/go.mod "$HERE"/agent/go.sum "$HERE"/agent/*.go | sha256sum | cut -c1-16)
KWOK_SUM=$(cat "$HERE"/patches/kwok-*.patch | sha256sum | cut -c1-16)

compute_todo() {
  todo=()
  for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do [[ -x $BIN/$c ]] || todo+=(k8s); done
  [[ -x $BIN/etcd ]] || todo+=(etcd)
  [[ -x $BIN/kwok && $(cat "$BIN/.kwok.sum" 2>/dev/null) == "$KWOK_SUM" ]] || todo+=(kwok)
  for v in "${AS_VERSIONS[@]}"; do [[ -x $BIN/agent-sandbox-controller-$v ]] || todo+=("as-$v"); done
  [[ -x $BIN/cluster-agent && $(cat "$BIN/.cluster-agent.sum" 2>/dev/null) == "$AGENT_SUM" ]] || todo+=(agent)
}
compute_todo
((${#todo[@]})) || exit 0
# One build at a time per binary directory (the lock is released when this script exits).
mkdir -p "$CACHE/locks"; exec 8>"$CACHE/locks/build.$(basename "$BIN").lock"
flock -w 3600 8 || die "timed out waiting for another build.sh"
compute_todo # another build may have done it meanwhile
((${#todo[@]})) || exit 0

command -v go >/dev/null || die "Go is not installed; the local cluster is built from Go modules"
command -v patch >/dev/null || die "patch is not installed (apt-get install patch)"
GOV=$(go env GOVERSION | sed 's/^go//')
timed() { # step-name command...: runs the command, records how long it took in $BIN/.build-times
  local t=$SECONDS
  "${@:2}"
  echo "$1 $((SECONDS - t))s $(date -u +%FT%TZ)" >>"$BIN/.build-times"
  log "$1 built in $((SECONDS - t))s"
}

if [[ " ${todo[*]} " == *" k8s "* ]]; then
  go mod download -json "k8s.io/kubernetes@$K8S" >/dev/null 2>"$CACHE/probe.err" ||
    die "module k8s.io/kubernetes@$K8S is not served: $(cat "$CACHE/probe.err")"
  build_k8s() {
    # k8s.io/kubernetes replaces its staging modules with ./staging/...; a wrapper module maps them
    # to the published v0.X.Y twins instead (kubernetes/kubernetes#79384).
    local STG=v0.${K8S#v1.} MINOR W GOMOD CMDS="kube-apiserver kube-controller-manager kube-scheduler kubectl" LD="-s -w" p
    MINOR=${STG#v0.}; MINOR=${MINOR%%.*}
    W="$CACHE/src/k8s-$K8S"; rm -rf "$W"; mkdir -p "$W"
    GOMOD=$(go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    {
      echo "module local.test/k8sbins"; echo
      grep -E '^(go|godebug) ' "$GOMOD"; echo
      echo "require k8s.io/kubernetes $K8S"; echo
      echo "replace ("
      sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*#\t\1 => \1 '"$STG"'#p' "$GOMOD"
      echo ")"
    } >"$W/go.mod"
    (cd "$W" && go get $(for c in $CMDS; do echo "k8s.io/kubernetes/cmd/$c@$K8S"; done))
    # Without these the binaries report v0.0.0-master, which confuses version checks.
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      LD="$LD -X $p.gitVersion=$K8S -X $p.gitMajor=1 -X $p.gitMinor=$MINOR -X $p.gitTreeState=clean"
    done
    (cd "$W" && go build -trimpath -ldflags "$LD" -o "$BIN/" $(for c in $CMDS; do echo "k8s.io/kubernetes/cmd/$c"; done))
  }
  log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $K8S (cold: 15-25 min on 2 cores)"
  timed "k8s-$K8S" build_k8s
fi

# `go install pkg@version` would also ask the proxy for the module's version list (deprecation
# check), which the proxy mirror refuses for agent-sandbox; a wrapper module that requires the exact
# version needs no list lookups.
go_build_mod() { # module version package output-name
  local W="$CACHE/src/${1//\//_}@$2"
  rm -rf "$W"; mkdir -p "$W"
  printf 'module local.test/wrapper\n\ngo %s\n\nrequire %s %s\n' "$GOV" "$1" "$2" >"$W/go.mod"
  (cd "$W" && go build -trimpath -ldflags "-s -w" -o "$BIN/$4.tmp" "$3")
  mv "$BIN/$4.tmp" "$BIN/$4"
}
if [[ " ${todo[*]} " == *" etcd "* ]]; then
  K8S_GOMOD=$(go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  ETCD_VERSION=$(sed -n 's#^[[:space:]]*go\.etcd\.io/etcd/server/v3 \(v[0-9][0-9.]*\).*#\1#p' "$K8S_GOMOD")
  [[ -n $ETCD_VERSION ]] || die "could not find the etcd version in $K8S_GOMOD"
  log "building etcd $ETCD_VERSION"
  timed "etcd-$ETCD_VERSION" go_build_mod go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 etcd
fi
if [[ " ${todo[*]} " == *" kwok "* ]]; then
  build_kwok() {
    # A patched copy of the module, used through a replace directive in a wrapper module.
    local W="$CACHE/src/kwok-$KWOK" src p
    src=$(go mod download -json "sigs.k8s.io/kwok@$KWOK" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    [[ -d $src ]] || die "sigs.k8s.io/kwok@$KWOK is not served"
    rm -rf "$W"; mkdir -p "$W"; cp -r "$src" "$W/kwok"; chmod -R u+w "$W/kwok"
    for p in "$HERE"/patches/kwok-*.patch; do patch -d "$W/kwok" -p1 --forward --quiet <"$p"; done
    printf 'module local.test/wrapper\n\ngo %s\n\nrequire sigs.k8s.io/kwok %s\n\nreplace sigs.k8s.io/kwok => ./kwok\n' \
      "$GOV" "$KWOK" >"$W/go.mod"
    (cd "$W" && go build -trimpath -ldflags "-s -w" -o "$BIN/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok)
    mv "$BIN/kwok.tmp" "$BIN/kwok"
  }
  log "building kwok $KWOK (patched)"
  timed "kwok-$KWOK" build_kwok
  echo "$KWOK_SUM" >"$BIN/.kwok.sum"
fi
for v in "${AS_VERSIONS[@]}"; do
  if [[ " ${todo[*]} " == *" as-$v "* ]]; then
    log "building agent-sandbox-controller $v"
    timed "agent-sandbox-controller-$v" go_build_mod sigs.k8s.io/agent-sandbox "$v" \
      sigs.k8s.io/agent-sandbox/cmd/agent-sandbox-controller "agent-sandbox-controller-$v"
  fi
done
if [[ " ${todo[*]} " == *" agent "* ]]; then
  log "building cluster-agent"
  build_agent() { (cd "$HERE/agent" && go build -trimpath -ldflags "-s -w" -o "$BIN/cluster-agent" .); }
  timed cluster-agent build_agent
  echo "$AGENT_SUM" >"$BIN/.cluster-agent.sum"
fi
log "binaries ready in $BIN"
