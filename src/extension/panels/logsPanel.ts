import * as vscode from 'vscode';
import { LogFollower } from '../../core/logs/logFollower';
import { LogsBridge } from '../../core/logs/logsBridge';
import type { LogsProtocol } from '../../shared/logsProtocol';
import { PanelHost } from '../webviews/panelHost';
import type { BoundSandbox } from '../../core/boundSandbox';
import type { PanelDeps } from './panelSupport';

/**
 * The live log of one sandbox in an xterm.js webview. The follower (core) does the streaming and
 * the reconnecting, the bridge (core) handles the page's messages and batches the output; this
 * host only wires them to the webview and owns their lifetime.
 */
export class LogsPanel implements vscode.Disposable {
  private readonly host: PanelHost<LogsProtocol>;
  private held: { dispose(): void } | undefined;

  constructor(
    private readonly deps: PanelDeps,
    private readonly target: BoundSandbox,
    containers: string[],
  ) {
    const bridge = new LogsBridge(
      `Logs: ${target.name}`,
      containers,
      (method, params) => this.host.notify(method, params),
      undefined,
      (o) => this.holdWhileFollowing(o.follow),
    );
    this.host = new PanelHost<LogsProtocol>(
      deps.extensionUri,
      'agentSandbox.logs',
      'logs',
      `Logs: ${target.name}`,
      { commands: bridge.commands, requests: {} },
      () => bridge.init(),
      deps.log,
      true,
    );
    const follower = new LogFollower(target.client, target.api, target.namespace, target.name, bridge.options, bridge.sink, deps.log);
    bridge.attach(follower);
    this.host.own({ dispose: () => follower.dispose() });
    this.host.own(bridge);
    this.host.own({ dispose: () => this.holdWhileFollowing(false) });
    follower.start();
    this.holdWhileFollowing(bridge.options.follow);
  }

  /** A followed log keeps its sandbox awake for auto-hibernate. */
  private holdWhileFollowing(follow: boolean): void {
    if (follow)
      this.held ??= this.deps.activity?.hold({ context: this.target.context, namespace: this.target.namespace, sandbox: this.target.name }, 'log-stream');
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
}
