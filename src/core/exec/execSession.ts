import type WebSocket from 'ws';
import type { KubeClient } from '../k8s/client';
import { KubeError } from '../k8s/errors';
import { SOCKET_OPEN, type WebSocketLike } from '../k8s/webSocket';
import { CHANNEL, closeFrame, ExecProtocol, parseFrame, PROTOCOLS, resizeFrame, stdinFrame } from './framing';
import { ExecResult, parseStatus } from './status';

/** Interactive sessions (terminals, forwards) ping this often and are dead after this much silence. */
export const EXEC_PING_MS = 5_000;
export const EXEC_DEAD_AFTER_MS = 20_000;

export interface ExecOptions {
  namespace: string;
  pod: string;
  container?: string | undefined;
  command: string[];
  tty: boolean;
  stdin: boolean;
  /** Initial terminal size, sent as soon as the socket opens (TTY only). */
  size?: { cols: number; rows: number };
  /** Keep-alive ping interval so idle sessions survive proxies; 0 disables. Default 5 s. */
  pingMs?: number | undefined;
  /**
   * With pings on: nothing heard (no frame, no pong) for this long means the path to the server
   * is dead (a silently dropped NAT/proxy entry), so the session ends as lost instead of hanging.
   * Default 20 s: with the 5 s ping a dead path is reported within 25 s.
   */
  deadAfterMs?: number | undefined;
  /** How long to wait for the websocket handshake. */
  connectTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface ExecHandlers {
  stdout?(data: Buffer): void;
  stderr?(data: Buffer): void;
  /** Called exactly once: the process exited, the server reported a failure, or the connection was lost. */
  end?(result: ExecResult): void;
}

function execPath(o: ExecOptions): string {
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  if (o.container) q.set('container', o.container);
  // A TTY always gets stdin: kwok v0.8.0's fake kubelet dereferences a nil stdin in its pty
  // tunnel and crashes for every pod on the node; a terminal wants stdin anyway.
  q.set('stdin', String(o.stdin || o.tty));
  q.set('stdout', 'true');
  q.set('stderr', String(!o.tty));
  q.set('tty', String(o.tty));
  return `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/exec?${q.toString()}`;
}

/**
 * One exec over the API server's websocket (v5 first, v4 fallback). Output is delivered as raw
 * bytes; callers decode (a TextDecoder in stream mode keeps split UTF-8 characters intact).
 */
export class ExecSession {
  private ended = false;
  private pinger: NodeJS.Timeout | undefined;
  private statusResult: ExecResult | undefined;
  private lastHeard = Date.now();
  private deadReason: string | undefined;
  private outputPaused = false;
  /** Told when the ping watchdog finds the path dead (the client then drops its pooled connections). */
  onDeadPath: (() => void) | undefined;

  private constructor(
    private readonly ws: WebSocketLike,
    readonly protocol: ExecProtocol,
    private readonly handlers: ExecHandlers,
    pingMs: number,
    deadAfterMs: number,
  ) {
    ws.on('message', (data: WebSocket.RawData) => this.onMessage(data));
    ws.on('pong', () => (this.lastHeard = Date.now()));
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    ws.on('error', (err) => this.finish({ kind: 'lost', message: `connection error: ${err.message}` }));
    if (pingMs > 0) {
      this.pinger = setInterval(() => {
        if (ws.readyState !== SOCKET_OPEN) return;
        if (this.outputPaused) return void (this.lastHeard = Date.now());
        const silentMs = Date.now() - this.lastHeard;
        if (deadAfterMs > 0 && silentMs > deadAfterMs) {
          this.deadReason = `no answer from the API server for ${Math.round(silentMs / 1000)} s`;
          this.onDeadPath?.();
          ws.terminate();
          return;
        }
        ws.ping();
      }, pingMs);
      this.pinger.unref?.();
    }
  }

  static async open(client: KubeClient, options: ExecOptions, handlers: ExecHandlers): Promise<ExecSession> {
    const base = await client.connectionOptions();
    const url = client.server.replace(/^http/, 'ws') + execPath(options);
    return new Promise<ExecSession>((resolve, reject) => {
      const ws = client.openSocket(url, PROTOCOLS, {
        // ws hands these TLS options to https.request; only its typing of checkServerIdentity differs.
        ...(base as unknown as WebSocket.ClientOptions),
        headers: base.headers as Record<string, string>,
        handshakeTimeout: options.connectTimeoutMs ?? 20_000,
        perMessageDeflate: false,
      });
      let settled = false;
      const fail = (err: KubeError) => {
        if (settled) return;
        settled = true;
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(err);
      };
      const onAbort = () => fail(new KubeError('Cancelled', undefined, 'Cancelled', 'cancelled'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      ws.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => fail(upgradeError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), options)));
        res.on('error', () => fail(upgradeError(res.statusCode ?? 0, '', options)));
      });
      ws.once('error', (err) =>
        fail(new KubeError(`Cannot open a session in ${options.pod}: ${err.message}`, undefined, (err as NodeJS.ErrnoException).code, 'network')),
      );
      ws.once('open', () => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        ws.removeAllListeners('error');
        const protocol = (ws.protocol || 'v4.channel.k8s.io') as ExecProtocol;
        const pingMs = options.pingMs ?? EXEC_PING_MS;
        const session = new ExecSession(ws, protocol, handlers, pingMs, options.deadAfterMs ?? Math.max(EXEC_DEAD_AFTER_MS, 2 * pingMs));
        session.onDeadPath = () => client.dropIdleConnections();
        if (options.tty && options.size) session.resize(options.size.cols, options.size.rows);
        resolve(session);
      });
    });
  }

  get isOpen(): boolean {
    return !this.ended && this.ws.readyState === SOCKET_OPEN;
  }

  write(data: Uint8Array | string): void {
    if (this.isOpen) this.ws.send(stdinFrame(data));
  }

  /** Waits until the socket's send buffer drained below a threshold (back-pressure for uploads). */
  async drain(maxBuffered = 4 * 1024 * 1024): Promise<void> {
    while (this.isOpen && this.ws.bufferedAmount > maxBuffered) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * Back-pressure from a slow consumer of stdout: stop reading the websocket (TCP then holds the
   * API server back) until resumeOutput(). While paused the ping watchdog does not count silence:
   * pongs queue behind the unread data.
   */
  pauseOutput(): void {
    if (this.outputPaused || !this.isOpen) return;
    this.outputPaused = true;
    this.ws.pause();
  }

  resumeOutput(): void {
    if (!this.outputPaused) return;
    this.outputPaused = false;
    this.lastHeard = Date.now();
    this.ws.resume();
  }

  /** Ends stdin. v5 has a close frame; v4 cannot half-close, so the caller must not rely on EOF there. */
  closeStdin(): boolean {
    if (!this.isOpen) return false;
    if (this.protocol === 'v5.channel.k8s.io') {
      this.ws.send(closeFrame(CHANNEL.stdin));
      return true;
    }
    return false;
  }

  resize(cols: number, rows: number): void {
    if (this.isOpen) this.ws.send(resizeFrame(cols, rows));
  }

  /** Closes the session from our side (the user closed the terminal). */
  close(): void {
    this.finish({ kind: 'lost', message: 'closed by the client' }, true);
  }

  /** Simulates a dead network for tests and for "connection lost" handling: drops the socket. */
  terminate(): void {
    this.ws.terminate();
  }

  private onMessage(data: WebSocket.RawData): void {
    this.lastHeard = Date.now();
    const f = parseFrame(data);
    if (!f) return;
    switch (f.channel) {
      case CHANNEL.stdout:
        this.handlers.stdout?.(f.data);
        break;
      case CHANNEL.stderr:
        this.handlers.stderr?.(f.data);
        break;
      case CHANNEL.status:
        if (f.data.length) this.statusResult = parseStatus(f.data.toString('utf8'));
        break;
      default:
        break;
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.statusResult) this.finish(this.statusResult);
    else if (this.deadReason) this.finish({ kind: 'lost', message: this.deadReason, closeCode: code });
    else this.finish({ kind: 'lost', message: `connection closed without an exit status (code ${code}${reason ? `, ${reason}` : ''})`, closeCode: code });
  }

  private finish(result: ExecResult, local = false): void {
    if (this.ended) return;
    this.ended = true;
    if (this.pinger) clearInterval(this.pinger);
    if (local) {
      try {
        this.ws.close(1000);
      } catch {
        this.ws.terminate();
      }
    } else if (this.ws.readyState === SOCKET_OPEN) {
      this.ws.close(1000);
    }
    this.handlers.end?.(result);
  }
}

/** Maps a refused websocket upgrade to a message a user can act on. */
export function upgradeError(status: number, body: string, o: Pick<ExecOptions, 'namespace' | 'pod' | 'container'>): KubeError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // plain text body
  }
  const where = `${o.namespace}/${o.pod}${o.container ? ` (container ${o.container})` : ''}`;
  if (status === 401)
    return new KubeError(
      `Not authenticated to exec into ${where}: the API server refused the kubeconfig's credentials (HTTP 401)${message ? `: ${message}` : ''}`,
      401,
      'Unauthorized',
      'auth',
    );
  if (status === 403) return new KubeError(`No permission to exec into ${where} (pods/exec is forbidden): ${message}`, 403, 'Forbidden');
  if (status === 404) return new KubeError(`Pod ${where} was not found: ${message}`, 404, 'NotFound');
  if (status === 400 && /container .* not found|not valid for pod/i.test(message))
    return new KubeError(`Container not found in ${where}: ${message}`, 400, 'ContainerNotFound');
  if (status === 400 && /not running|pending|completed|terminated|waiting to start|does not have a host assigned/i.test(message))
    return new KubeError(`Pod ${where} is not running: ${message}`, 400, 'PodNotRunning');
  if (status === 101 || status === 200 || status === 426 || (status >= 300 && status < 400)) {
    return new KubeError(
      `The websocket upgrade for ${where} was refused (HTTP ${status}); a proxy between you and the API server may not allow websockets`,
      status,
      'UpgradeRefused',
    );
  }
  return new KubeError(`Cannot exec into ${where}: HTTP ${status}${message ? `: ${message}` : ''}`, status);
}

/** Runs a command to completion, collecting stdout/stderr (binary-safe); stdin optional. */
export async function execCollect(
  client: KubeClient,
  o: Omit<ExecOptions, 'tty' | 'stdin'> & { input?: Uint8Array | string; timeoutMs?: number },
): Promise<{ result: ExecResult; stdout: Buffer; stderr: Buffer }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let resolveEnd!: (r: ExecResult) => void;
  const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
  const session = await ExecSession.open(
    client,
    { ...o, tty: false, stdin: o.input !== undefined, pingMs: 0 },
    {
      stdout: (d) => out.push(Buffer.from(d)),
      stderr: (d) => err.push(Buffer.from(d)),
      end: (r) => resolveEnd(r),
    },
  );
  if (o.input !== undefined) {
    const data = typeof o.input === 'string' ? Buffer.from(o.input) : Buffer.from(o.input);
    for (let i = 0; i < data.length; i += 256 * 1024) {
      session.write(data.subarray(i, i + 256 * 1024));
      await session.drain();
    }
    if (!session.closeStdin()) throw new KubeError('This API server speaks only v4.channel.k8s.io, which cannot signal end of input', undefined, 'NoV5');
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = o.timeoutMs
    ? new Promise<ExecResult>((r) => {
        timer = setTimeout(() => {
          session.close();
          r({ kind: 'lost', message: `no result within ${Math.round((o.timeoutMs as number) / 1000)} s` });
        }, o.timeoutMs);
      })
    : undefined;
  const result = await (timeout ? Promise.race([ended, timeout]) : ended);
  if (timer) clearTimeout(timer);
  return { result, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}
