// An in-process stand-in for the API server's exec websocket, speaking the channel protocol, so
// the exec layer can be unit-tested without a cluster (the integration tests use the real one).
import * as http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import type { KubeClient } from '../../../src/core/k8s/client';
import { listen, loopbackClient } from './loopbackApi';

export interface FakeFrame {
  channel: number;
  data: Buffer;
}

/** One accepted exec connection, as the server sees it. */
export class FakeConn {
  readonly frames: FakeFrame[] = [];
  private waiters: { pred: (f: FakeFrame) => boolean; resolve: (f: FakeFrame) => void }[] = [];

  constructor(
    readonly ws: WebSocket,
    readonly url: URL,
  ) {
    ws.on('message', (data: Buffer) => {
      const f = { channel: data[0], data: Buffer.from(data.subarray(1)) };
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => (w.pred(f) ? (w.resolve(f), false) : true));
    });
  }

  get protocol(): string {
    return this.ws.protocol;
  }
  get command(): string[] {
    return this.url.searchParams.getAll('command');
  }

  /** Resolves with the first frame (already received or future) that matches. */
  next(pred: (f: FakeFrame) => boolean): Promise<FakeFrame> {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  send(channel: number, data: string | Buffer): void {
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    this.ws.send(Buffer.concat([Buffer.from([channel]), payload]));
  }

  status(doc: object): void {
    this.send(3, JSON.stringify(doc));
  }

  exit(code: number): void {
    this.status(
      code === 0
        ? { metadata: {}, status: 'Success' }
        : {
            metadata: {},
            status: 'Failure',
            reason: 'NonZeroExitCode',
            message: `command terminated with non-zero exit code: exit status ${code}`,
            details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
          },
    );
    this.ws.close(1000);
  }
}

export interface FakeServerOptions {
  /** Subprotocols this server accepts, best first (the API server picks the first the client offers). */
  protocols?: string[] | undefined;
  /** Refuse the upgrade with this HTTP status and body. */
  refuse?: ((url: URL) => { status: number; body: string } | undefined) | undefined;
  /** Answer pings (a dead proxy does not). */
  autoPong?: boolean;
}

export class FakeExecServer {
  readonly connections: FakeConn[] = [];
  private readonly http: http.Server;
  private port = 0;
  private readonly wss: WebSocketServer;
  private onConn: ((c: FakeConn) => void) | undefined;

  private constructor(private readonly options: FakeServerOptions) {
    const accepted = options.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
    this.wss = new WebSocketServer({
      noServer: true,
      autoPong: options.autoPong ?? true,
      handleProtocols: (offered) => accepted.find((p) => offered.has(p)) ?? false,
    });
    this.http = http.createServer((_req, res) => res.writeHead(404).end());
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const refusal = this.options.refuse?.(url);
      if (refusal) {
        socket.end(
          `HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(refusal.body)}\r\nConnection: close\r\n\r\n${refusal.body}`,
        );
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const conn = new FakeConn(ws, url);
        this.connections.push(conn);
        this.onConn?.(conn);
      });
    });
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeExecServer> {
    const s = new FakeExecServer(options);
    s.port = await listen(s.http);
    return s;
  }

  /** Scripts every connection: called once per accepted exec. */
  handle(fn: (c: FakeConn) => void): this {
    this.onConn = fn;
    return this;
  }

  client(): KubeClient {
    return loopbackClient(`http://127.0.0.1:${this.port}`, { context: 'fake', skipTLSVerify: true });
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
