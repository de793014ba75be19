/** A failed Kubernetes API call, carrying the HTTP status and the API's Status reason. */
export class KubeError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason?: string,
    readonly kind: 'http' | 'network' | 'tls' | 'auth' | 'timeout' | 'cancelled' = 'http',
  ) {
    super(message);
    this.name = 'KubeError';
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
  get isGone(): boolean {
    return this.status === 410;
  }
  /** Errors where retrying later may help (network, 5xx, 429). */
  get isTransient(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.status === 429 || (this.status ?? 0) >= 500;
  }
}

/** What `p` resolves to, or undefined when it fails with 404 (the object is not there); other errors pass through. */
export async function unlessNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof KubeError && err.isNotFound) return undefined;
    throw err;
  }
}

/** Builds a KubeError from an HTTP status and a response body (a Status object, or text). */
export function errorFromResponse(status: number, body: string, what: string): KubeError {
  let message = body.trim();
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    if (parsed.message) message = parsed.message;
    reason = parsed.reason;
  } catch {
    // not JSON: keep the text
  }
  if (!message) message = `HTTP ${status}`;
  const kind = status === 401 ? 'auth' : 'http';
  return new KubeError(`${what}: ${message}`, status, reason, kind);
}

const TLS_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

/** A Node TLS verification failure code (a bad or untrusted certificate: retrying cannot help). */
export function isTlsCode(code: string | undefined): boolean {
  return code !== undefined && TLS_CODES.has(code);
}

/** Maps a socket-level error (ECONNREFUSED, TLS, DNS) to a KubeError with a readable message. */
export function errorFromNetwork(err: unknown, server: string): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (e?.name === 'AbortError') return new KubeError('Request cancelled', undefined, undefined, 'cancelled');
  if (TLS_CODES.has(code)) {
    return new KubeError(`TLS verification failed for ${server} (${code}): ${e.message}`, undefined, code, 'tls');
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN') {
    return new KubeError(`Cannot reach the cluster at ${server} (${code})`, undefined, code, 'network');
  }
  return new KubeError(`Request to ${server} failed: ${e?.message ?? String(err)}`, undefined, code || undefined, 'network');
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
