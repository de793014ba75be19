/**
 * The agent-sandbox Sandbox Router (sigs.k8s.io/agent-sandbox/sandbox-router, v1.0+), as seen from
 * here: its path-routing URLs (`<base>/<namespace>/<pod>/<port>/...`, browsers and WebSockets
 * included), whether it answers, and what its JSON errors (`{"detail": ...}`) mean for the user.
 */

export type RouterStatus = { kind: 'not-configured'; hint?: string } | { kind: 'reachable'; url: string } | { kind: 'unreachable'; url: string; why: string };

/** The path-routing URL of a sandbox port. `base` is the router URL including its prefix. */
export function routerPreviewUrl(base: string, namespace: string, pod: string, port: number, path = '/'): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
  const root = base.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `${root}/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}/${port}${rest}`;
}

/** Checks a router URL the user typed: http(s) only, no credentials in it. */
export function validateRouterUrl(value: string): string | undefined {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return 'Not a URL (for example https://sandboxes.example.com/router).';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'The router URL must be http:// or https://.';
  if (u.username || u.password) return 'Put no credentials in the URL; the extension asks for a token when the router wants one.';
  if (u.search || u.hash) return 'The router URL takes no query or fragment.';
  return undefined;
}

/** The `detail` of a router error body, else the body's first line. */
export function routerDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    if (typeof parsed.detail === 'string' && parsed.detail) return parsed.detail;
  } catch {
    // not JSON
  }
  return body.trim().split('\n')[0]?.slice(0, 200) || 'no reason given';
}

export type RouterFailure = 'refused' | 'unreachable-backend' | 'bad-request' | 'other';

export class RouterError extends Error {
  constructor(
    message: string,
    readonly failure: RouterFailure,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RouterError';
  }
}

/** What a router's non-2xx answer means; undefined when the answer came from the sandbox's server. */
export function routerResponseError(status: number, body: string, contentType: string | undefined, target: string): RouterError | undefined {
  // Router errors are JSON with a detail; a sandbox's own 404 or 500 is the app's answer, not ours.
  const fromRouter = (contentType ?? '').includes('application/json') && /"detail"/.test(body);
  if (!fromRouter) return undefined;
  const detail = routerDetail(body);
  if (status === 401 || status === 403) return new RouterError(`The router refused: ${detail}`, 'refused', status);
  if (status === 502 || status === 503 || status === 504) {
    return new RouterError(
      `The router could not reach ${target} (HTTP ${status}: ${detail}). Is a server listening there on the pod's address?`,
      'unreachable-backend',
      status,
    );
  }
  if (status === 400) return new RouterError(`The router rejected the request: ${detail}`, 'bad-request', status);
  return new RouterError(`The router answered HTTP ${status}: ${detail}`, 'other', status);
}

export type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; signal?: AbortSignal; redirect?: 'manual' },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  body?: { cancel(): Promise<void> } | null;
}>;

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS)',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

function why(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer within 3 s';
  const code = e?.cause?.code;
  if (code && NETWORK_WORDS[code]) return NETWORK_WORDS[code];
  if (code) return `${code}${e.cause?.message && !e.cause.message.includes(code) ? `: ${e.cause.message}` : ''}`;
  return e?.cause?.message ?? e?.message ?? String(err);
}

/**
 * Is a router at `base`? Its health endpoint is `/healthz` at the root of its listener; behind a
 * Gateway that forwards only the prefix, a JSON `detail` answer under the prefix proves it too.
 */
export async function probeRouter(base: string, fetchImpl: Fetch = fetch, timeoutMs = 3000): Promise<RouterStatus> {
  const bad = validateRouterUrl(base);
  if (bad) return { kind: 'unreachable', url: base, why: bad };
  const root = base.replace(/\/+$/, '');
  try {
    const health = await fetchImpl(new URL('/healthz', root).toString(), { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const text = await health.text();
    if (health.status === 200 && /"status"\s*:\s*"ok"/.test(text)) return { kind: 'reachable', url: root };
    const under = await fetchImpl(`${root}/`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = await under.text();
    if ((under.headers.get('content-type') ?? '').includes('application/json') && /"detail"/.test(body)) return { kind: 'reachable', url: root };
    return { kind: 'unreachable', url: root, why: `it answers, but not like a sandbox router (HTTP ${under.status})` };
  } catch (err) {
    return { kind: 'unreachable', url: root, why: why(err) };
  }
}

/** The details panel's line. */
export function describeRouterStatus(s: RouterStatus): string {
  switch (s.kind) {
    case 'reachable':
      return `reachable at ${s.url}`;
    case 'unreachable':
      return `unreachable at ${s.url} (${s.why})`;
    case 'not-configured':
      return s.hint ? `not configured (${s.hint})` : 'not configured';
  }
}
