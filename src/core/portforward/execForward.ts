import * as net from 'node:net';
import type { KubeClient } from '../k8s/client';
import { KubeError } from '../k8s/errors';
import type { Logger } from '../logging/logger';
import { execCollect, ExecSession } from '../exec/execSession';
import { parseProbe, PROBE_COMMAND, RelayKind, relayCommand, relayFailure } from './relay';

export interface ForwardTarget {
  namespace: string;
  /** Resolved per connection: the pod changes name/uid across hibernate/resume. */
  pod: () => string | undefined;
  container?: string | undefined;
  remotePort: number;
}

export interface ForwardOptions {
  /** 0 = any free port. */
  localPort: number;
  host?: string;
  /** Called when a connection could not be relayed (nothing listening, pod gone), at most every few seconds. */
  onProblem?: (message: string) => void;
  /** Called on every chunk carried either way (cheap: the idle tracker only stores a time). */
  onTraffic?: () => void;
}

/** Asks the sandbox which relay it has; throws a readable error when it has none (or no shell). */
export async function probeRelay(client: KubeClient, t: Pick<ForwardTarget, 'namespace' | 'container'> & { pod: string }): Promise<RelayKind> {
  const { result, stdout, stderr } = await execCollect(client, {
    namespace: t.namespace,
    pod: t.pod,
    container: t.container,
    command: [...PROBE_COMMAND],
    timeoutMs: 20_000,
  });
  const kind = parseProbe(stdout.toString('utf8'));
  if (kind) return kind;
  const why = result.kind === 'exited' ? `exit code ${result.code}` : result.message;
  throw new KubeError(
    `Cannot forward a port into ${t.pod}: the sandbox has no relay program (python3, socat, nc or busybox) or no shell (${why}${stderr.length ? `: ${stderr.toString('utf8').trim()}` : ''}).`,
    undefined,
    'NoRelay',
  );
}

/**
 * A local TCP listener whose every connection is one exec session running the relay in the
 * sandbox ("exec tunnel"). Bytes are copied both ways; local half-close becomes stdin EOF (v5).
 */
export class ExecForward {
  private readonly sockets = new Set<net.Socket>();
  private lastProblemAt = 0;
  private closed = false;
  private port = 0;
  connections = 0;

  private constructor(
    private readonly server: net.Server,
    private readonly client: KubeClient,
    private readonly target: ForwardTarget,
    readonly relay: RelayKind,
    private readonly options: ForwardOptions,
    private readonly log: Logger,
  ) {}

  static async start(client: KubeClient, target: ForwardTarget, relay: RelayKind, options: ForwardOptions, log: Logger): Promise<ExecForward> {
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const fwd = new ExecForward(server, client, target, relay, options, log);
    server.on('connection', (s) => fwd.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.localPort, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => log.error(`port forward listener: ${err.message}`));
    fwd.port = (server.address() as net.AddressInfo).port;
    return fwd;
  }

  /** The port it listens (or listened) on. */
  get localPort(): number {
    return this.port;
  }

  get activeConnections(): number {
    return this.sockets.size;
  }

  /** Stops listening and closes every open connection. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private problem(message: string): void {
    this.log.warn(`port forward ${this.localPort} → ${this.target.remotePort}: ${message}`);
    const now = Date.now();
    if (now - this.lastProblemAt < 5000) return;
    this.lastProblemAt = now;
    this.options.onProblem?.(message);
  }

  private accept(socket: net.Socket): void {
    if (this.closed) return void socket.destroy();
    this.connections++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const pod = this.target.pod();
    if (!pod) {
      this.problem('the sandbox has no running pod');
      this.sockets.delete(socket);
      return void socket.destroy();
    }
    const stderr: Buffer[] = [];
    let session: ExecSession | undefined;
    let sawOutput = false;
    const done = () => {
      this.sockets.delete(socket);
      if (!socket.destroyed) socket.end();
    };
    socket.on('close', () => {
      this.sockets.delete(socket);
      session?.close();
    });
    socket.on('error', (err) => this.log.debug(`forward client socket: ${err.message}`));
    ExecSession.open(
      this.client,
      {
        namespace: this.target.namespace,
        pod,
        container: this.target.container,
        command: relayCommand(this.relay, this.target.remotePort),
        tty: false,
        stdin: true,
      },
      {
        stdout: (d) => {
          // The API server opens each stream with an empty frame: that is not output.
          if (d.length === 0) return;
          sawOutput = true;
          this.options.onTraffic?.();
          // Back-pressure the other way: a local client that reads slowly holds the sandbox side back.
          if (!socket.destroyed && !socket.write(d) && session) {
            const s = session;
            s.pauseOutput();
            socket.once('drain', () => s.resumeOutput());
          }
        },
        stderr: (d) => stderr.push(Buffer.from(d)),
        end: (result) => {
          const failed = (result.kind === 'exited' && result.code !== 0) || result.kind === 'failed';
          if (failed && !sawOutput) this.problem(relayFailure(Buffer.concat(stderr).toString('utf8'), this.target.remotePort));
          if (result.kind === 'lost' && !socket.destroyed && result.message !== 'closed by the client')
            this.log.debug(`forward connection lost: ${result.message}`);
          done();
        },
      },
    ).then(
      (s) => {
        session = s;
        if (socket.destroyed) return s.close();
        socket.on('data', (chunk: Buffer) => {
          this.options.onTraffic?.();
          s.write(chunk);
          // Back-pressure: hold the local socket while the websocket's send buffer drains.
          socket.pause();
          void s.drain(1024 * 1024).then(() => socket.resume());
        });
        // The client finished sending: pass EOF on (v5 only; on v4 the relay ends when the server closes).
        socket.on('end', () => void s.closeStdin());
        socket.resume();
      },
      (err: unknown) => {
        this.problem(err instanceof Error ? err.message : String(err));
        this.sockets.delete(socket);
        socket.destroy();
      },
    );
  }
}
