import type { Capability } from './tools';

/**
 * Who decides what an agent may do. In VS Code the person confirms in chat (with an opt-in to
 * auto-approve run/write on isolated runtimes); the MCP server has no person to ask, so each
 * capability is granted up front with an --allow-* flag.
 */
export type ConsentPolicy =
  | { mode: 'interactive'; autoApproveIsolated: boolean; allowUnisolatedRun: boolean }
  | { mode: 'flags'; allowed: ReadonlySet<Exclude<Capability, 'read'>>; allowUnisolatedRun: boolean };

export type Decision = { action: 'run' } | { action: 'confirm' } | { action: 'refuse'; reason: string };

/** Capabilities auto-approval may cover: never delete, claim or lifecycle changes. */
const AUTO_APPROVABLE: ReadonlySet<Capability> = new Set(['run', 'write']);

/**
 * What happens with one call. `isolated` is the target sandbox's runtime (gVisor/Kata: true,
 * runc or unknown: false); undefined when the tool has no sandbox (list, claim).
 */
export function decide(capability: Capability, isolated: boolean | undefined, policy: ConsentPolicy): Decision {
  if (capability === 'read') return { action: 'run' };
  if (capability === 'run' && isolated === false && !policy.allowUnisolatedRun) {
    const how = policy.mode === 'flags' ? 'start the MCP server with --allow-unisolated-run' : 'enable the setting agentSandbox.agent.allowUnisolatedRun';
    return {
      action: 'refuse',
      reason: `This sandbox runs with runc, not an isolating runtime (gVisor or Kata): code run there shares the node's kernel, so agents may not run commands in it. Claim a sandbox from a gVisor or Kata pool instead, or ask the user to ${how}.`,
    };
  }
  if (policy.mode === 'flags') {
    if (policy.allowed.has(capability)) return { action: 'run' };
    return { action: 'refuse', reason: `This MCP server was not allowed to ${VERBS[capability]}. Ask the user to restart it with --allow-${capability}.` };
  }
  if (policy.autoApproveIsolated && isolated === true && AUTO_APPROVABLE.has(capability)) return { action: 'run' };
  return { action: 'confirm' };
}

const VERBS: Record<Exclude<Capability, 'read'>, string> = {
  run: 'run commands',
  write: 'write files',
  claim: 'claim sandboxes',
  lifecycle: 'hibernate or resume sandboxes',
  delete: 'delete claims',
  preview: 'forward sandbox ports to this machine',
};

export const GRANTABLE: readonly Exclude<Capability, 'read'>[] = ['run', 'write', 'claim', 'lifecycle', 'delete', 'preview'];
