import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../logging/logger';
import { errorFromNetwork, errorFromResponse, KubeError } from './errors';
import { bareHost, isLoopback, proxyFromEnv } from './proxyEnv';
import { openWebSocket, type WebSocketFactory } from './webSocket';

export interface RequestInit {
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal | undefined;
  /** Whole-request timeout; watches and log streams pass 0 (they have their own watchdog). */
  timeoutMs?: number;
  /** For messages: what we were doing ("list sandboxes in demo"). */
  what?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The TLS fields of request options that decide which connections may be shared. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * A thin Kubernetes REST client pinned to one kubeconfig context. TLS and credentials come from
 * client-node's KubeConfig (so exec plugins, OIDC, client certs and insecure-skip-tls-verify
 * behave as kubectl's do); the transport is Node's own http(s) so watches have no hidden timeout.
 * One keep-alive agent per client (per TLS identity) so requests reuse connections instead of
 * paying a TLS handshake each; the proxy is the kubeconfig's `proxy-url`, else HTTPS_PROXY /
 * HTTP_PROXY / NO_PROXY from the environment as kubectl reads them. Plain http is for loopback
 * servers only (kubectl proxy): a token must not cross a network in clear text.
 */
export class KubeClient {
  readonly server: string;
  private readonly credentials: KubeConfig;
  private readonly proxyUrl: string | undefined;
  private agent: { key: string; agent: http.Agent } | undefined;

  constructor(
    readonly config: KubeConfig,
    readonly context: string,
    private readonly log: Logger,
    env: NodeJS.ProcessEnv = process.env,
    /** How exec websockets are opened (tests record or script them). */
    readonly openSocket: WebSocketFactory = openWebSocket,
  ) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new KubeError(`Context "${context}" has no cluster`, undefined, undefined, 'network');
    this.server = cluster.server.replace(/\/+$/, '');
    const url = new URL(this.server);
    this.proxyUrl = cluster.proxyUrl || proxyFromEnv(url, env);
    // client-node refuses http: unless TLS checks are off; over http there are none to make.
    this.credentials = url.protocol === 'http:' && !cluster.skipTLSVerify ? withoutTlsChecks(config) : config;
  }

  /** Request options with TLS material, auth headers (refreshes exec-plugin tokens) and the shared agent. */
  async connectionOptions(): Promise<https.RequestOptions> {
    const url = new URL(this.server);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new KubeError(
        `The API server ${this.server} is plain HTTP: it is used only on loopback (kubectl proxy), never across a network where the token would travel in clear text. Use https.`,
        undefined,
        'PlainHttp',
        'tls',
      );
    }
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.credentials.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeError(`Could not get credentials for context "${this.context}": ${(err as Error).message}`, undefined, undefined, 'auth');
    }
    opts.agent = this.agentFor(opts, url);
    return opts;
  }

  /**
   * Closes the kept-alive connections that sit idle in the pool. Called when a path turned out to
   * be dead (a watchdog fired, a request timed out): after a laptop sleep or a network change every
   * pooled connection is dead too, and the next request must not wait on one of them.
   */
  dropIdleConnections(): void {
    const free = (this.agent?.agent as (http.Agent & { freeSockets?: NodeJS.ReadOnlyDict<import('node:net').Socket[]> }) | undefined)?.freeSockets ?? {};
    for (const list of Object.values(free)) for (const socket of list ?? []) socket.destroy();
  }

  /** The kept-alive agent for these TLS options; a new one only when they change (rotated client certs). */
  private agentFor(opts: https.RequestOptions, url: URL): http.Agent {
    const hash = createHash('sha256');
    for (const f of TLS_FIELDS) {
      const v = opts[f] as unknown;
      hash.update(`${f}=${Buffer.isBuffer(v) ? v.toString('base64') : JSON.stringify(v ?? null)};`);
    }
    const key = hash.digest('hex');
    if (this.agent?.key === key) return this.agent.agent;
    const tls: https.AgentOptions = { keepAlive: true, keepAliveMsecs: 10_000 };
    for (const f of TLS_FIELDS) if (opts[f] !== undefined) (tls as Record<string, unknown>)[f] = opts[f];
    let agent: http.Agent;
    if (this.proxyUrl) {
      // client-node builds proxy agents (http, https via CONNECT, socks) for `proxy-url`; reuse that.
      const cluster = { ...this.config.getCurrentCluster()!, proxyUrl: this.proxyUrl };
      agent = (this.config as unknown as { createAgent(c: typeof cluster, o: https.AgentOptions): http.Agent }).createAgent(cluster, tls);
    } else {
      agent = url.protocol === 'http:' ? new http.Agent(tls) : new https.Agent(tls);
    }
    this.agent = { key, agent };
    return agent;
  }

  async request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.send(method, path, init);
    const text = await readBody(res);
    if ((res.statusCode ?? 0) >= 300) throw errorFromResponse(res.statusCode ?? 0, text, init.what ?? `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, init: RequestInit = {}): Promise<T> {
    return this.request<T>('GET', path, init);
  }

  /** Opens a streaming GET (watch, logs). Resolves once headers arrive with a 2xx status. */
  async stream(path: string, init: RequestInit = {}): Promise<http.IncomingMessage> {
    const res = await this.send('GET', path, { ...init, timeoutMs: init.timeoutMs ?? 0 });
    if ((res.statusCode ?? 0) >= 300) {
      const text = await readBody(res);
      throw errorFromResponse(res.statusCode ?? 0, text, init.what ?? `GET ${path}`);
    }
    return res;
  }

  private async send(method: string, path: string, init: RequestInit): Promise<http.IncomingMessage> {
    try {
      return await this.sendOnce(method, path, init);
    } catch (err) {
      // A kept-alive socket the server has already dropped (restart, failover, idle timeout) is
      // reset before any answer, so the request never reached the server: send it once more on a
      // new connection, as Node's docs advise for reused sockets.
      if (!(err instanceof StaleSocketError) || init.signal?.aborted) throw err instanceof StaleSocketError ? err.cause : err;
      this.log.debug(`${method} ${path}: the kept-alive connection was gone (${err.cause.reason}); sending again on a new one`);
      try {
        return await this.sendOnce(method, path, init, false);
      } catch (again) {
        throw again instanceof StaleSocketError ? again.cause : again;
      }
    }
  }

  private async sendOnce(method: string, path: string, init: RequestInit, mayRetry = true): Promise<http.IncomingMessage> {
    const base = await this.connectionOptions();
    const url = new URL(this.server + path);
    const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    const headers: http.OutgoingHttpHeaders = { ...((base.headers ?? {}) as http.OutgoingHttpHeaders), Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = init.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const mod = url.protocol === 'http:' ? http : https;
    const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.log.trace(`${method} ${url.pathname}${url.search}`);
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = mod.request(
        { ...base, method, hostname: bareHost(url.hostname), port: url.port, path: url.pathname + url.search, headers, signal: init.signal },
        resolve,
      );
      if (timeoutMs > 0) {
        req.setTimeout(
          timeoutMs,
          () => (
            this.dropIdleConnections(),
            req.destroy(
              new KubeError(`${init.what ?? `${method} ${path}`}: no answer from ${this.server} within ${timeoutMs / 1000} s`, undefined, 'Timeout', 'timeout'),
            )
          ),
        );
      }
      req.on('error', (err) => {
        const e = errorFromNetwork(err, this.server);
        const stale = mayRetry && req.reusedSocket && STALE_SOCKET_CODES.has((err as NodeJS.ErrnoException).code ?? '');
        reject(stale ? new StaleSocketError(e) : e);
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

const STALE_SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** A request that failed on a reused kept-alive socket before any answer (see send). */
class StaleSocketError extends Error {
  constructor(override readonly cause: KubeError) {
    super(cause.message);
  }
}

export function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The same config with insecure-skip-tls-verify on its clusters (for http: servers, which have no TLS). */
function withoutTlsChecks(config: KubeConfig): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: config.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
    users: config.users,
    contexts: config.contexts,
    currentContext: config.getCurrentContext(),
  });
  return copy;
}
