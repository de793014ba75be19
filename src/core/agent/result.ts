import { SandboxFileError } from '../files/errors';
import { KubeError } from '../k8s/errors';

/** Why a tool did not do its job, in words a model can act on. */
export type ToolErrorCode = 'invalid-input' | 'not-found' | 'hibernated' | 'forbidden' | 'refused' | 'timeout' | 'unreachable' | 'cancelled' | 'failed';

/** A tool's answer. Failures are results too (the model reads them), never thrown strings. */
export type ToolResult =
  { ok: true; summary: string; data?: unknown; exitCode?: number } | { ok: false; code: ToolErrorCode; message: string; hint?: string | undefined };

export const failure = (code: ToolErrorCode, message: string, hint?: string): ToolResult => ({ ok: false, code, message, hint });

/** The text part shown to the model: a summary line and, when there is data, its JSON. */
export function renderResult(r: ToolResult): string {
  if (!r.ok) return `Error (${r.code}): ${r.message}${r.hint ? `\n${r.hint}` : ''}`;
  return r.data === undefined ? r.summary : `${r.summary}\n${JSON.stringify(r.data, null, 2)}`;
}

/** Maps any failure from the cluster, exec or file layers to a result. */
export function resultFromError(err: unknown, sandbox?: string): ToolResult {
  const resume = sandbox ? `Call resumeSandbox with sandbox "${sandbox}" first.` : 'Call resumeSandbox first.';
  if (err instanceof SandboxFileError) {
    if (err.hibernated) return failure('hibernated', err.message, resume);
    switch (err.code) {
      case 'FileNotFound':
        return failure('not-found', err.message);
      case 'NoPermissions':
        return failure('forbidden', err.message);
      case 'Unavailable':
        return failure(/does not exist/.test(err.message) ? 'not-found' : 'failed', err.message);
      default:
        return failure('failed', err.message);
    }
  }
  if (err instanceof KubeError) {
    if (err.kind === 'network' || err.kind === 'tls')
      return failure('unreachable', err.message, 'The Kubernetes cluster cannot be reached; check the kubeconfig context and that the cluster is up.');
    if (err.kind === 'timeout' || err.reason === 'Timeout') return failure('timeout', err.message);
    if (err.kind === 'cancelled') return failure('cancelled', err.message);
    if (err.status === 401) return failure('forbidden', err.message, 'The credentials of this kubeconfig context were rejected (401).');
    if (err.isForbidden)
      return failure(
        'forbidden',
        err.message,
        'The Kubernetes user of this context lacks the RBAC permission for this; ask a cluster admin, or use another namespace or context.',
      );
    if (err.isNotFound) return failure('not-found', err.message);
    return failure('failed', err.message);
  }
  return failure('failed', err instanceof Error ? err.message : String(err));
}
