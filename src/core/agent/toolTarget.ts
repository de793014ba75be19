import { claimSandboxName } from '../model/claim';
import type { KubeObject } from '../model/objects';
import type { AgentBackend } from './backend';
import { failure, ToolResult } from './result';

export interface InvokeOptions {
  signal?: AbortSignal;
}

/** The sandbox a tool call is about, with the claim it was named by (if it was). */
export type Target = { namespace: string; sandbox: KubeObject; claim?: KubeObject };

/** A sandbox by its own name, or by the name of the claim that owns it. */
export async function findTarget(b: AgentBackend, ns: string, name: string): Promise<Target | { error: ToolResult }> {
  const own = await b.ops.find('Sandbox', ns, name);
  if (own) return { namespace: ns, sandbox: own };
  const claim = await b.ops.find('SandboxClaim', ns, name);
  if (!claim)
    return {
      error: failure(
        'not-found',
        `No sandbox or claim named ${name} in namespace ${ns} (context ${b.context}).`,
        'Call listSandboxes to see the sandboxes, or claimSandbox to get a new one.',
      ),
    };
  const bound = claimSandboxName(claim);
  if (!bound)
    return { error: failure('not-found', `Claim ${ns}/${name} has no sandbox yet.`, 'Wait a moment and try again, or check the claim with listSandboxes.') };
  const sandbox = await b.ops.find('Sandbox', ns, bound);
  if (!sandbox) return { error: failure('not-found', `Claim ${ns}/${name} names sandbox ${bound}, which does not exist (any more).`) };
  return { namespace: ns, sandbox, claim };
}

/** Why a tool needs a running sandbox, and what the model can do about it. */
export function stateFailure(t: Target, state: string): ToolResult {
  const name = t.sandbox.metadata.name;
  if (state === 'Hibernated' || state === 'Hibernating')
    return failure('hibernated', `Sandbox ${name} is ${state.toLowerCase()}.`, `Call resumeSandbox with sandbox "${name}" first.`);
  return failure(
    'failed',
    `Sandbox ${name} is ${state}, not Running.`,
    state === 'Starting' ? 'Wait a moment and try again.' : 'Claim a new sandbox with claimSandbox.',
  );
}
