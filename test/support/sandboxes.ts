// Sandboxes the tests make with kubectl, as a person would with a manifest: the shapes several
// layers (integration, e2e, benchmarks) share.
import { kubectl } from './cluster';
import { waitFor } from './wait';

const CLAIM_CRD = 'sandboxclaims.extensions.agents.x-k8s.io';
const SANDBOX_CRD = 'sandboxes.agents.x-k8s.io';

/** A Sandbox with no RuntimeClass: it lands on the plain KWOK node (GNU userland, real processes). */
export function plainSandboxManifest(name: string, namespace: string, apiVersion = 'agents.x-k8s.io/v1beta1', podSpec: object = {}): object {
  return {
    apiVersion,
    kind: 'Sandbox',
    metadata: { name, namespace },
    spec: { podTemplate: { spec: { ...podSpec, containers: [{ name: 'main', image: 'debian:bookworm', command: ['sleep', 'infinity'] }] } } },
  };
}

/** Claims a sandbox from a warm pool with kubectl; resolves to the sandbox's name once it is Ready. */
export async function claimWithKubectl(claim: string, namespace: string, pool: string, timeout = 120_000): Promise<string> {
  kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
      kind: 'SandboxClaim',
      metadata: { name: claim, namespace },
      spec: { warmPoolRef: { name: pool } },
    }),
  });
  const sandbox = await waitFor(() => kubectl(['get', CLAIM_CRD, claim, '-n', namespace, '-o', 'jsonpath={.status.sandbox.name}']).trim(), {
    message: 'the claim names its sandbox',
    timeout,
  });
  await waitFor(
    () => kubectl(['get', SANDBOX_CRD, sandbox, '-n', namespace, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).trim() === 'True',
    { message: 'the sandbox is Ready', timeout },
  );
  return sandbox;
}
