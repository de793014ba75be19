import type { KubeObject } from '../model/objects';
import { LABEL_WARM_POOL, podName, sandboxState } from '../model/sandbox';
import { describeRouterStatus, Fetch, probeRouter, RouterError, routerPreviewUrl, routerResponseError } from './router';

/**
 * How to show a sandbox port: through the Sandbox Router's path-routing URL when one is set and
 * answers, else through the exec relay (a local port carried over `pods/exec`). VS Code-free, so the
 * Open Preview command and the agent tools decide the same way; the caller starts the relay.
 */
export type PreviewPlan = { via: 'router'; url: string; reason: string; headers: Record<string, string> } | { via: 'relay'; reason: string };

export interface PreviewRequest {
  context: string;
  namespace: string;
  sandbox: KubeObject;
  port: number;
  /** The router URL (with its path prefix) configured for this context. */
  routerUrl?: string | undefined;
  /** Bearer token for a router that authenticates callers. */
  token?: string | undefined;
  /** A browser tab cannot send an Authorization header; a program (agent tool) can. */
  client: 'browser' | 'program';
  fetch?: Fetch;
}

export class PreviewError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-running' | 'no-pod',
  ) {
    super(message);
    this.name = 'PreviewError';
  }
}

/** The sandbox's pod when it can serve a preview now; else a PreviewError that says what to do. */
export function previewablePod(sandbox: KubeObject): string {
  const name = sandbox.metadata.name;
  const state = sandboxState(sandbox);
  if (state === 'Hibernated' || state === 'Hibernating') throw new PreviewError(`${name} is hibernated — resume to preview.`, 'not-running');
  if (state !== 'Running') throw new PreviewError(`${name} is ${state.toLowerCase()}; a port can be previewed only while it runs.`, 'not-running');
  const pod = podName(sandbox);
  if (!pod) throw new PreviewError(`${name} has no pod yet.`, 'no-pod');
  return pod;
}

/** Throws PreviewError when the sandbox cannot serve now; RouterError for the router's refusals and 502s. */
export async function resolvePreview(req: PreviewRequest): Promise<PreviewPlan> {
  const name = req.sandbox.metadata.name;
  const pod = previewablePod(req.sandbox);
  if (!req.routerUrl) return { via: 'relay', reason: `no router URL is set for context "${req.context}"` };
  const doFetch = req.fetch ?? fetch;
  const status = await probeRouter(req.routerUrl, doFetch);
  if (status.kind !== 'reachable') return { via: 'relay', reason: `the router is ${describeRouterStatus(status)}` };
  // The router's Pod-IP cache keeps unclaimed pool pods out of its name index (reachable by UID only,
  // so nobody can reach a pod another workload will adopt by guessing its name).
  if (req.sandbox.metadata.labels?.[LABEL_WARM_POOL])
    return { via: 'relay', reason: `${name} is an unclaimed warm-pool sandbox, which the router does not route to by name` };
  const url = routerPreviewUrl(status.url, req.namespace, pod, req.port);
  const check = async (headers: Record<string, string>): Promise<void> => {
    const res = await doFetch(url, { headers, signal: AbortSignal.timeout(15_000), redirect: 'manual' });
    const type = res.headers.get('content-type') ?? undefined;
    const json = (type ?? '').includes('application/json');
    const body = json ? await res.text() : '';
    if (!json) await res.body?.cancel().catch(() => undefined);
    const err = res.status >= 400 ? routerResponseError(res.status, body, type, `${name}:${req.port}`) : undefined;
    if (err) throw err;
  };
  const withToken: Record<string, string> = req.token ? { Authorization: `Bearer ${req.token}` } : {};
  if (req.client === 'program') {
    await check(withToken);
    return { via: 'router', url, reason: `the router at ${status.url} is reachable`, headers: withToken };
  }
  try {
    await check({});
    return { via: 'router', url, reason: `the router at ${status.url} is reachable`, headers: {} };
  } catch (err) {
    // A browser tab sends no Authorization header: with a token-checking router it cannot get through.
    if (!(err instanceof RouterError) || err.failure !== 'refused' || !req.token) throw err;
  }
  await check(withToken);
  return { via: 'relay', reason: `the router at ${status.url} wants a token, which a browser tab cannot send` };
}

export { RouterError };
