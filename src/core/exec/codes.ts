// Which exec outcomes are worth retrying: websocket close codes, refused upgrades (and the REST
// errors of the steps around them), and failures on the Kubernetes Status channel (channel 3).
// Retry only gives way to "give up" where retrying cannot help: credentials, RBAC, a pod or
// container that is gone, a proxy that refuses websockets, a protocol or TLS fault.
import { isTlsCode, KubeError } from '../k8s/errors';
import type { ShellEnding } from './shell';
import type { ExecResult } from './status';

export type Cause =
  'network' | 'server' | 'closed' | 'not-running' | 'auth' | 'forbidden' | 'not-found' | 'refused' | 'protocol' | 'tls' | 'cancelled' | 'failed' | 'unknown';

export interface Verdict {
  action: 'retry' | 'give-up';
  cause: Cause;
  /** What happened, in words (the error's or status's message). */
  message: string;
}

/** RFC 6455 §7.4.1 close codes. */
export const CLOSE_CODE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  NO_STATUS: 1005,
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  TOO_BIG: 1009,
  MANDATORY_EXTENSION: 1010,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
  TRY_AGAIN_LATER: 1013,
  BAD_GATEWAY: 1014,
  TLS_HANDSHAKE: 1015,
} as const;

/** The peer rejected what we speak: the same socket again would be rejected the same way. */
const FATAL_CLOSE: ReadonlySet<number> = new Set<number>([
  CLOSE_CODE.PROTOCOL_ERROR,
  CLOSE_CODE.UNSUPPORTED_DATA,
  CLOSE_CODE.INVALID_PAYLOAD,
  CLOSE_CODE.POLICY_VIOLATION,
  CLOSE_CODE.TOO_BIG,
  CLOSE_CODE.MANDATORY_EXTENSION,
]);

/**
 * A socket that closed without an exit status. 1000 without a status means the stream ended, not
 * the process (an API server shutting down closes politely), so it is retried like 1001, 1006
 * (no close frame: the network), 1011–1014 (the server's trouble) and codes no RFC defines.
 */
export function classifyClose(code: number | undefined, message: string): Verdict {
  if (code === CLOSE_CODE.TLS_HANDSHAKE) return { action: 'give-up', cause: 'tls', message };
  if (code !== undefined && FATAL_CLOSE.has(code)) return { action: 'give-up', cause: 'protocol', message };
  if (code === CLOSE_CODE.NORMAL || code === CLOSE_CODE.GOING_AWAY || code === CLOSE_CODE.SERVICE_RESTART) return { action: 'retry', cause: 'closed', message };
  if (code === CLOSE_CODE.INTERNAL_ERROR || code === CLOSE_CODE.TRY_AGAIN_LATER || code === CLOSE_CODE.BAD_GATEWAY)
    return { action: 'retry', cause: 'server', message };
  return { action: 'retry', cause: 'network', message };
}

/** Messages of a path that broke between the API server, the kubelet and the runtime (not of the command). */
const TRANSPORT =
  /error dialing backend|connection refused|connection reset|i\/o timeout|TLS handshake timeout|broken pipe|unexpected EOF|GOAWAY|context deadline exceeded|no route to host/i;

/**
 * A failure on the status channel. Since Kubernetes 1.30 the API server accepts the websocket
 * before it dials the kubelet, so a kubelet it cannot reach is reported here, not as an HTTP 5xx.
 */
export function classifyStatus(s: { message: string; reason?: string | undefined }): Verdict {
  const { message, reason } = s;
  if (reason === 'Unauthorized') return { action: 'give-up', cause: 'auth', message };
  if (reason === 'Forbidden') return { action: 'give-up', cause: 'forbidden', message };
  if (reason === 'NotFound') return { action: 'give-up', cause: 'not-found', message };
  if (reason === 'ServiceUnavailable' || reason === 'Timeout' || reason === 'ServerTimeout' || reason === 'TooManyRequests')
    return { action: 'retry', cause: 'server', message };
  if (TRANSPORT.test(message)) return { action: 'retry', cause: 'network', message };
  // The command could not start or the runtime refused it: the same exec fails the same way.
  return { action: 'give-up', cause: 'failed', message };
}

/**
 * A failed open (the upgrade refused, see upgradeError, or the socket never connected) or a failed
 * REST call on the way to it. Errors this module does not know are retried: the caller bounds it.
 */
export function classifyError(err: unknown): Verdict {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof KubeError)) return { action: 'retry', cause: 'unknown', message };
  if (err.kind === 'cancelled') return { action: 'give-up', cause: 'cancelled', message };
  if (err.kind === 'tls' || isTlsCode(err.reason)) return { action: 'give-up', cause: 'tls', message };
  if (err.kind === 'auth' || err.status === 401) return { action: 'give-up', cause: 'auth', message };
  if (err.isTransient) return { action: 'retry', cause: err.status === undefined ? 'network' : 'server', message };
  if (err.isForbidden) return { action: 'give-up', cause: 'forbidden', message };
  if (err.isNotFound || err.reason === 'ContainerNotFound') return { action: 'give-up', cause: 'not-found', message };
  if (err.reason === 'PodNotRunning') return { action: 'retry', cause: 'not-running', message }; // a restarting container comes back
  if (err.reason === 'UpgradeRefused') return { action: 'give-up', cause: 'refused', message };
  return { action: 'give-up', cause: 'failed', message };
}

/** How an exec or a shell ended; undefined when it simply ended (an exit code, closed by us): nothing to retry. */
export function classifyEnding(e: ExecResult | ShellEnding): Verdict | undefined {
  switch (e.kind) {
    case 'lost':
      return classifyClose(e.closeCode, e.message);
    case 'failed':
      return classifyStatus(e);
    case 'no-shell':
      return { action: 'give-up', cause: 'failed', message: `no shell (tried ${e.tried.join(', ')})` };
    default:
      return undefined;
  }
}
