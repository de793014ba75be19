#!/usr/bin/env bash
# Builds (once per version) every binary the local cluster needs, from Go modules through the Go
# module proxy, into $BIN (outside the repo, keyed by the k8s and KWOK versions):
#   kube-apiserver kube-controller-manager kube-scheduler kubectl   k8s.io/kubernetes@$K8S
#   etcd            go.etcd.io/etcd/server/v3 at the version k8s.io/kubernetes@$K8S pins (Debian's
#                   3.4.23 lacks RequestWatchProgress, which breaks client-go's streaming watch-list)
#   kwok            sigs.k8s.io/kwok@$KWOK with patches/kwok-*.patch applied (exec exit codes)
#   agent-sandbox-controller-<v>   for $AGENT_SANDBOX_VERSION, $AS_V05 (with AS_MATRIX=1) and $AS_ALPHA
#   sandbox-router-<v>             sigs.k8s.io/agent-sandbox@$AS_ROUTER/sandbox-router (the Go router)
#   cluster-agent                  test/cluster/agent (rebuilt when its sources change)
# Each artefact is rebuilt only when its recipe (versions + build function + inputs) changes; see
# "artefacts" below. A warm run takes well under a second.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
command -v go >/dev/null || die "Go is not installed; the local cluster is built from Go modules"
GOV=$(go env GOVERSION | sed 's/^go//')
mkdir -p "$BIN" "$CACHE/src"
AS_VERSIONS=("$AS")
[[ $AS == v1.* && $MATRIX == 1 && $AS_V05 != "$AS" ]] && AS_VERSIONS+=("$AS_V05")
[[ $AS != v0.4.* ]] && AS_VERSIONS+=("$AS_ALPHA")

# ---- recipes: each writes its binaries into $OUT ----
build_k8s() {
  # k8s.io/kubernetes replaces its staging modules with ./staging/...; a wrapper module maps them
  # to the published v0.X.Y twins instead (kubernetes/kubernetes#79384).
  local STG=v0.${K8S#v1.} MINOR W GOMOD CMDS="kube-apiserver kube-controller-manager kube-scheduler kubectl" LD="-s -w" p
  go mod download -json "k8s.io/kubernetes@$K8S" >/dev/null 2>"$CACHE/probe.err" ||
    die "module k8s.io/kubernetes@$K8S is not served: $(cat "$CACHE/probe.err")"
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
  (cd "$W" && go build -trimpath -ldflags "$LD" -o "$OUT/" $(for c in $CMDS; do echo "k8s.io/kubernetes/cmd/$c"; done))
}
# `go install pkg@version` would also ask the proxy for the module's version list (deprecation
# check), which the proxy mirror refuses for agent-sandbox; a wrapper module that requires the exact
# version needs no list lookups.
go_build_mod() { # module version package output-name
  local W="$CACHE/src/${1//\//_}@$2"
  rm -rf "$W"; mkdir -p "$W"
  printf 'module local.test/wrapper\n\ngo %s\n\nrequire %s %s\n' "$GOV" "$1" "$2" >"$W/go.mod"
  (cd "$W" && go build -trimpath -ldflags "-s -w" -o "$OUT/$4" "$3")
}
build_etcd() { # the etcd server version k8s.io/kubernetes@$K8S pins
  local K8S_GOMOD ETCD_VERSION
  K8S_GOMOD=$(go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  ETCD_VERSION=$(sed -n 's#^[[:space:]]*go\.etcd\.io/etcd/server/v3 \(v[0-9][0-9.]*\).*#\1#p' "$K8S_GOMOD")
  [[ -n $ETCD_VERSION ]] || die "could not find the etcd version in $K8S_GOMOD"
  log "etcd $ETCD_VERSION"
  go_build_mod go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 etcd
}
build_kwok() {
  # A patched copy of the module, used through a replace directive in a wrapper module.
  local W="$CACHE/src/kwok-$KWOK" src p
  src=$(go mod download -json "sigs.k8s.io/kwok@$KWOK" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -d $src ]] || die "sigs.k8s.io/kwok@$KWOK is not served"
  rm -rf "$W"; mkdir -p "$W"; cp -r "$src" "$W/kwok"; chmod -R u+w "$W/kwok"
  for p in "$HERE"/patches/kwok-*.patch; do patch -d "$W/kwok" -p1 --forward --quiet <"$p"; done
  printf 'module local.test/wrapper\n\ngo %s\n\nrequire sigs.k8s.io/kwok %s\n\nreplace sigs.k8s.io/kwok => ./kwok\n' \
    "$GOV" "$KWOK" >"$W/go.mod"
  (cd "$W" && go build -trimpath -ldflags "-s -w" -o "$OUT/kwok" sigs.k8s.io/kwok/cmd/kwok)
}
build_as() { # version
  go_build_mod sigs.k8s.io/agent-sandbox "$1" sigs.k8s.io/agent-sandbox/cmd/agent-sandbox-controller "agent-sandbox-controller-$1"
}
build_router() { # version
  go_build_mod sigs.k8s.io/agent-sandbox "$1" sigs.k8s.io/agent-sandbox/sandbox-router/cmd "sandbox-router-$1"
}
build_agent() { (cd "$HERE/agent" && go build -trimpath -ldflags "-s -w" -o "$OUT/cluster-agent" .); }

# ---- artefacts: name | binaries | recipe (versions, the functions' text, the files they read) ----
# Each artefact is built once per recipe into $CACHE/store/<name>-<hash>/ and hard-linked into $BIN,
# so a change to one recipe (or a new artefact) rebuilds that one only, and worktrees whose scripts
# differ keep their own builds instead of rebuilding each other's. `build.sh --plan` lists them.
GO_ENV="go$GOV $GOTOOLCHAIN $CGO_ENABLED $GOFLAGS $(go env GOARCH GOOS | tr '\n' ' ')"
ARTEFACTS=()
artefact() { # name "binaries" recipe-text...
  local sum
  sum=$(printf '%s\n' "$GO_ENV" "${@:3}" | sha256sum | cut -c1-16)
  ARTEFACTS+=("$1|$2|$sum")
}
artefact "k8s-$K8S" "kube-apiserver kube-controller-manager kube-scheduler kubectl" "$K8S" "$(declare -f build_k8s)"
artefact "etcd-for-k8s-$K8S" etcd "$K8S" "$(declare -f build_etcd go_build_mod)"
artefact "kwok-$KWOK" kwok "$KWOK" "$(declare -f build_kwok)" "$(cat "$HERE"/patches/kwok-*.patch)"
for v in "${AS_VERSIONS[@]}"; do
  artefact "agent-sandbox-controller-$v" "agent-sandbox-controller-$v" "$v" "$(declare -f build_as go_build_mod)"
done
artefact "sandbox-router-$AS_ROUTER" "sandbox-router-$AS_ROUTER" "$AS_ROUTER" "$(declare -f build_router go_build_mod)"
artefact cluster-agent cluster-agent "$(declare -f build_agent)" "$(cat "$HERE"/agent/go.mod "$HERE"/agent/go.sum "$HERE"/agent/*.go)"

linked() { # name sum binaries: $BIN holds exactly that build
  local b
  [[ $(cat "$BIN/.$1.sum" 2>/dev/null) == "$2" ]] || return 1
  for b in $3; do [[ -x $BIN/$b ]] || return 1; done
}
compute_todo() {
  todo=()
  local a name bins sum
  for a in "${ARTEFACTS[@]}"; do
    IFS='|' read -r name bins sum <<<"$a"
    linked "$name" "$sum" "$bins" || todo+=("$a")
  done
}
compute_todo
if [[ ${1:-} == --plan ]]; then # name hash state: linked / stored (only needs linking) / build
  for a in "${ARTEFACTS[@]}"; do
    IFS='|' read -r name bins sum <<<"$a"
    if linked "$name" "$sum" "$bins"; then st=linked; elif [[ -d $CACHE/store/$name-$sum ]]; then st=stored; else st=build; fi
    echo "$name $sum $st"
  done
  exit 0
fi
((${#todo[@]})) || exit 0
# One build at a time per cache (the lock is released when this script exits).
mkdir -p "$CACHE/locks" "$CACHE/store"; exec 8>"$CACHE/locks/build.$(basename "$BIN").lock"
flock -w 3600 8 || die "timed out waiting for another build.sh"
compute_todo # another build may have done it meanwhile
command -v patch >/dev/null || die "patch is not installed (apt-get install patch)"

for a in "${todo[@]}"; do
  IFS='|' read -r name bins sum <<<"$a"
  store="$CACHE/store/$name-$sum"
  if [[ ! -d $store ]]; then
    log "building $name (recipe $sum; cold: k8s ≈ 7 min, others 1–2 min on 2 cores)"
    OUT="$store.tmp"; rm -rf "$OUT"; mkdir -p "$OUT"
    t=$SECONDS
    case $name in
      k8s-*) build_k8s ;;
      etcd-*) build_etcd ;;
      kwok-*) build_kwok ;;
      agent-sandbox-controller-*) build_as "${name#agent-sandbox-controller-}" ;;
      sandbox-router-*) build_router "${name#sandbox-router-}" ;;
      cluster-agent) build_agent ;;
      *) die "no recipe for $name" ;;
    esac
    echo "$name $((SECONDS - t))s $(date -u +%FT%TZ)" | tee -a "$BIN/.build-times" >"$OUT/.build-time"
    mv "$OUT" "$store"
    log "$name built in $((SECONDS - t))s"
  fi
  for b in $bins; do ln -f "$store/$b" "$BIN/$b" 2>/dev/null || cp -f "$store/$b" "$BIN/$b"; done
  echo "$sum" >"$BIN/.$name.sum"
done
log "binaries ready in $BIN"
