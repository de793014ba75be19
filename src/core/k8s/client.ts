import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../logging/logger';
import { errorFromNetwork, errorFromResponse, KubeError } from './errors';

export interface RequestInit {
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Whole-request timeout; watches and log streams pass 0 (they have their own watchdog). */
  timeoutMs?: number;
  /** For messages: what we were doing ("list sandboxes in demo"). */
  what?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A thin Kubernetes REST client pinned to one kubeconfig context. TLS and credentials come from
 * client-node's KubeConfig (so exec plugins, OIDC, client certs and insecure-skip-tls-verify
 * behave as kubectl's do); the transport is Node's own http(s) so watches have no hidden timeout.
 */
export class KubeClient {
  readonly server: string;

  constructor(
    readonly config: KubeConfig,
    readonly context: string,
    private readonly log: Logger,
  ) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new KubeError(`Context "${context}" has no cluster`, undefined, undefined, 'network');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  /** Request options with TLS material and auth headers applied (refreshes exec-plugin tokens). */
  async connectionOptions(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.config.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeError(`Could not get credentials for context "${this.context}": ${(err as Error).message}`, undefined, undefined, 'auth');
    }
    return opts;
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
        { ...base, method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers, signal: init.signal },
        resolve,
      );
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(new KubeError(`${init.what ?? `${method} ${path}`}: no answer from ${this.server} within ${timeoutMs / 1000} s`, undefined, 'Timeout', 'timeout')));
      }
      req.on('error', (err) => reject(errorFromNetwork(err, this.server)));
      if (body !== undefined) req.write(body);
      req.end();
    });
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
