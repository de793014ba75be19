import * as vscode from 'vscode';
import { LogFollower } from '../../core/logs/logFollower';
import type { LogOptions } from '../../core/logs/logMachine';
import type { LogsProtocol } from '../../shared/logsProtocol';
import { PanelHost } from '../webviews/panelHost';
import type { PanelDeps, PanelTarget } from './panelSupport';

const FLUSH_MS = 40;
/** Above this much pending text a flush happens at once (a large tail arrives in one burst). */
const FLUSH_BYTES = 256 * 1024;

export const DEFAULT_LOG_OPTIONS: LogOptions = { follow: true, timestamps: false, tailLines: 1000 };

/**
 * The live log of one sandbox in an xterm.js webview. The follower (core) does the streaming and
 * the reconnecting; this host batches its output into messages and owns its lifetime.
 */
export class LogsPanel implements vscode.Disposable {
  private readonly host: PanelHost<LogsProtocol>;
  private readonly follower: LogFollower;
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private options: LogOptions;
  private held: { dispose(): void } | undefined;

  constructor(
    private readonly deps: PanelDeps,
    private readonly target: PanelTarget,
    private readonly containers: string[],
  ) {
    this.options = { ...DEFAULT_LOG_OPTIONS, container: containers[0] };
    this.host = new PanelHost<LogsProtocol>(
      deps.extensionUri,
      'agentSandbox.logs',
      'logs',
      `Logs: ${target.name}`,
      {
        commands: {
          ready: () => undefined,
          setOptions: (o) => {
            this.options = { follow: !!o.follow, timestamps: !!o.timestamps, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, container: o.container ?? this.options.container };
            this.pending = '';
            this.follower.setOptions(this.options);
            this.holdWhileFollowing();
          },
          reconnect: () => this.follower.reconnectNow(),
        },
        requests: {},
      },
      () => this.host.notify('init', { title: `Logs: ${target.name}`, options: this.options, containers: this.containers }),
      deps.log,
      true,
    );
    this.follower = new LogFollower(
      target.client,
      target.api,
      target.namespace,
      target.name,
      this.options,
      {
        data: (text) => this.push(text),
        marker: (text, tone) => {
          this.flush();
          this.host.notify('marker', { text, tone });
        },
        status: (s) => this.host.notify('status', s),
        clear: () => {
          this.pending = '';
          this.host.notify('clear', null);
        },
      },
      deps.log,
    );
    this.host.own({ dispose: () => this.follower.dispose() });
    this.host.own({ dispose: () => this.timer && clearTimeout(this.timer) });
    this.host.own({ dispose: () => (this.held?.dispose(), (this.held = undefined)) });
    this.follower.start();
    this.holdWhileFollowing();
  }

  /** A log being followed keeps its sandbox from auto-hibernating. */
  private holdWhileFollowing(): void {
    if (this.options.follow) this.held ??= this.deps.activity?.hold({ context: this.target.context, namespace: this.target.namespace, sandbox: this.target.name }, 'log-stream');
    else {
      this.held?.dispose();
      this.held = undefined;
    }
  }

  get panel(): PanelHost<LogsProtocol> {
    return this.host;
  }

  reveal(): void {
    this.host.reveal();
  }

  dispose(): void {
    this.host.dispose();
  }

  private push(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_BYTES) return this.flush();
    if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.host.notify('data', { text });
  }
}
