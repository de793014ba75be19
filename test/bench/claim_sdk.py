# The upstream Python SDK's side of bench:claim (test/bench/claim.bench.ts), run in the bench's venv.
# One process and one SandboxClient for the whole run, as an SDK user keeps them. Each stdin line
# ({"timeout": s, "labels": {...}}) makes one claim with SandboxClient.create_sandbox(warmpool=...),
# the SDK's documented call: it creates the SandboxClaim and watches it (one watch, from the create
# response's resourceVersion) until it is bound and Ready. Only that call is timed. Each answer is
# one JSON line: the claim the SDK named, its sandbox and the milliseconds, or the error. Deleting
# the claim is the bench's business (the same way for all three clients).
#
# usage: claim_sdk.py KUBECONFIG CONTEXT NAMESPACE POOL
import json
import sys
import time
from importlib.metadata import version

from kubernetes import config

from k8s_agent_sandbox import SandboxClient


def main() -> None:
    kubeconfig, context, namespace, pool = sys.argv[1:5]
    api_client = config.new_client_from_config(config_file=kubeconfig, context=context)
    client = SandboxClient(api_client=api_client)
    print(json.dumps({"ready": True, "version": version("k8s-agent-sandbox")}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        start = time.perf_counter()
        try:
            sandbox = client.create_sandbox(
                warmpool=pool,
                namespace=namespace,
                sandbox_ready_timeout=int(req.get("timeout", 120)),
                labels=req.get("labels") or None,
            )
        except Exception as err:  # reported to the bench, which counts it as a failed claim
            print(json.dumps({"error": f"{type(err).__name__}: {err}"}), flush=True)
            continue
        elapsed = (time.perf_counter() - start) * 1000
        # Not timed: drop the handle's HTTP sessions (the claim itself stays for the bench to delete).
        sandbox.close_connection()
        print(json.dumps({"ms": elapsed, "claim": sandbox.claim_name, "sandbox": sandbox.sandbox_id}), flush=True)


if __name__ == "__main__":
    main()
