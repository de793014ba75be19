#!/usr/bin/env bash
# End-to-end check of a running local cluster (after cluster:up): warm pool, claim adoption,
# exec (exit codes, stdin, gVisor, per-pod directories), logs, port-forward, suspend/resume with
# the PVC kept, the limited/bare/v1alpha1 contexts. Creates and deletes a claim "smoke-<pid>".
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[[ -f $RUN/env ]] || die "cluster not running"
set -a; source "$RUN/env"; set +a
k() { timeout 60 "$KUBECTL" "$@"; }
pass() { printf '[smoke] ok   %s\n' "$*"; }
fail() { printf '[smoke] FAIL %s\n' "$*" >&2; exit 1; }
CLAIM=smoke-$$
cleanup() { k delete sandboxclaim "$CLAIM" --ignore-not-found --wait=false >/dev/null 2>&1 || true; kill "${PF_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

[[ $(k get sandboxwarmpool "$DEMO_POOL" -o jsonpath='{.status.readyReplicas}') -ge 1 ]] || fail "warm pool has no ready sandbox"
pass "warm pool $DEMO_POOL has ready sandboxes"

if [[ $AS_API_VERSION == v1beta1 ]]; then
  k apply -f - >/dev/null <<EOF
apiVersion: extensions.agents.x-k8s.io/v1beta1
kind: SandboxClaim
metadata: {name: $CLAIM, namespace: $DEMO_NAMESPACE}
spec: {warmPoolRef: {name: $DEMO_POOL}}
EOF
else
  k apply -f - >/dev/null <<EOF
apiVersion: extensions.agents.x-k8s.io/v1alpha1
kind: SandboxClaim
metadata: {name: $CLAIM, namespace: $DEMO_NAMESPACE}
spec: {sandboxTemplateRef: {name: $DEMO_TEMPLATE}}
EOF
fi
k wait --for=condition=Ready "sandboxclaim/$CLAIM" --timeout=60s >/dev/null || fail "claim not Ready"
SB=$(k get sandboxclaim "$CLAIM" -o jsonpath='{.status.sandbox.name}')
[[ $SB == "$DEMO_POOL"-* ]] || fail "claim did not adopt a warm sandbox (got '$SB')"
pass "claim $CLAIM adopted warm sandbox $SB"

[[ $(k exec "$SB" -- uname -r) == 4.4.0 ]] || fail "uname -r is not gVisor's 4.4.0"
k exec "$SB" -- dmesg | grep -q "Starting gVisor" || fail "dmesg does not show gVisor"
pass "exec runs inside gVisor"
set +e; k exec "$SB" -- sh -c 'exit 3' 2>/dev/null; rc=$?; set -e
((rc == 3)) || fail "exit code $rc instead of 3"
pass "exit code 3 comes through"
[[ $(echo data | k exec -i "$SB" -- sh -c 'cat >stdin.txt; cat stdin.txt') == data ]] || fail "stdin"
pass "stdin with EOF"
k exec "$SB" -- sh -c 'echo kept >workspace/smoke.txt; echo scratch >scratch.txt'
[[ $(k exec "$SB" -- pwd) == "$PODS_DIR/$DEMO_NAMESPACE/$SB" ]] || fail "working directory"
OTHER=$(k get pods -l "agents.x-k8s.io/warm-pool-sandbox" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)
if [[ -n $OTHER && $OTHER != "$SB" ]]; then
  k exec "$OTHER" -- sh -c 'test ! -e scratch.txt && test ! -e workspace/smoke.txt' || fail "$OTHER sees $SB's files"
  pass "other sandbox $OTHER does not see the files"
fi
k logs "$SB" | grep -q "started on node" || fail "kubectl logs"
pass "kubectl logs"

# A free port for the server (all sandboxes share the host's loopback), forwarded for this pod.
read -r RPORT LPORT < <("$BIN/cluster-agent" freeports 2 | paste -sd' ')
k patch portforward "$SB" --type=json \
  -p "[{\"op\":\"add\",\"path\":\"/spec/forwards/-\",\"value\":{\"ports\":[$RPORT],\"target\":{\"address\":\"127.0.0.1\",\"port\":$RPORT}}}]" >/dev/null
k exec "$SB" -- sh -c "echo pf-ok >pf.txt; nohup /usr/bin/python3 -m http.server $RPORT --bind 127.0.0.1 >/dev/null 2>&1 &"
# The sandbox shares the host's loopback: wait until the server listens (python starts slowly in
# gVisor on a busy machine), since kubectl port-forward gives up when its first dial is refused.
for _ in $(seq 120); do curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$RPORT/" && break; sleep 0.5; done
ok=false
for _ in $(seq 60); do
  # (Re)start it: it also exits when KWOK has not seen the patched PortForward object yet.
  { [[ -n ${PF_PID:-} ]] && kill -0 "$PF_PID" 2>/dev/null; } || { "$KUBECTL" port-forward "pod/$SB" "$LPORT:$RPORT" >/dev/null 2>&1 & PF_PID=$!; sleep 1; }
  if [[ $(curl -s --max-time 2 "http://127.0.0.1:$LPORT/pf.txt") == pf-ok ]]; then ok=true; break; fi
  sleep 0.5
done
$ok || fail "port-forward"
kill "$PF_PID" 2>/dev/null || true
pass "port-forward to a server inside the sandbox"

if [[ $AS_API_VERSION == v1beta1 ]]; then suspend='{"spec":{"operatingMode":"Suspended"}}' resume='{"spec":{"operatingMode":"Running"}}'
else suspend='{"spec":{"replicas":0}}' resume='{"spec":{"replicas":1}}'; fi
k patch sandbox "$SB" --type=merge -p "$suspend" >/dev/null
k wait --for=delete "pod/$SB" --timeout=60s >/dev/null || fail "pod not deleted on suspend"
k get pvc "workspace-$SB" >/dev/null || fail "PVC gone after suspend"
curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$RPORT/" && fail "server of the suspended sandbox still runs"
pass "suspend: pod and its processes gone, PVC kept"
k patch sandbox "$SB" --type=merge -p "$resume" >/dev/null
k wait --for=condition=Ready "sandbox/$SB" --timeout=60s >/dev/null || fail "not Ready after resume"
[[ $(k exec "$SB" -- cat workspace/smoke.txt) == kept ]] || fail "PVC file lost"
k exec "$SB" -- sh -c 'test ! -e scratch.txt' || fail "scratch file survived"
pass "resume: PVC file kept, scratch directory fresh"

set +e; k --context "$CONTEXT_LIMITED" get sandboxclaims >/dev/null 2>&1; rc=$?; set -e
((rc != 0)) && k --context "$CONTEXT_LIMITED" get sandboxes >/dev/null || fail "limited context RBAC"
pass "limited context: sandboxes listed, sandboxclaims forbidden"
k --context "$CONTEXT_BARE" get --raw /apis/agents.x-k8s.io >/dev/null 2>&1 && fail "bare context has agent-sandbox"
pass "bare context has no agent-sandbox API"
k --context "$CONTEXT_V1ALPHA1" get --raw /apis/agents.x-k8s.io | grep -q '"preferredVersion":{"groupVersion":"agents.x-k8s.io/v1alpha1"' ||
  fail "v1alpha1 context does not prefer v1alpha1"
k --context "$CONTEXT_V1ALPHA1" get sandboxwarmpools.v1alpha1.extensions.agents.x-k8s.io "$DEMO_POOL" >/dev/null || fail "v1alpha1 pool"
pass "v1alpha1 context serves v1alpha1 with the demo pool"
if [[ $AS_VERSION == v0.5.* ]]; then
  k get "sandboxes.v1alpha1.agents.x-k8s.io" "$SB" >/dev/null 2>&1 || fail "v1alpha1 through the conversion webhook"
  pass "main cluster serves v1alpha1 through the conversion webhook"
elif [[ $AS_VERSION == v1.* ]]; then
  k get --raw /apis/agents.x-k8s.io/v1alpha1 >/dev/null 2>&1 && fail "main cluster ($AS_VERSION) still serves v1alpha1"
  fqdn=$(k get sandbox "$SB" -o jsonpath='{.status.serviceFQDN}')
  [[ -z $fqdn || $(k get sandboxclaim "$CLAIM" -o jsonpath='{.status.sandbox.serviceFQDN}') == "$fqdn" ]] ||
    fail "claim status.sandbox.serviceFQDN (new in v1.0) does not mirror the sandbox's"
  pass "main cluster ($AS_VERSION) serves only v1beta1"
fi
if [[ -n ${CONTEXT_V05:-} ]]; then
  [[ $(k --context "$CONTEXT_V05" get sandboxwarmpool "$DEMO_POOL" -o jsonpath='{.status.readyReplicas}') -ge 1 ]] || fail "v0.5 warm pool"
  k --context "$CONTEXT_V05" get "sandboxes.v1alpha1.agents.x-k8s.io" >/dev/null || fail "v0.5 context: v1alpha1 through the conversion webhook"
  pass "v0.5 context ($AS_V05_VERSION): warm pool ready, v1alpha1 served through the conversion webhook"
fi
echo "[smoke] all checks passed"
