import * as vscode from 'vscode';
import { byName, CollectionWatch, watchCollection } from '../../core/k8s/collectionWatch';
import { describeError } from '../../core/k8s/errors';
import { collectionPath } from '../../core/k8s/resources';
import type { ActivityTracker } from '../../core/finops/activity';
import type { Logger } from '../../core/logging/logger';
import { ExecForward, probeRelay } from '../../core/portforward/execForward';
import { podName, sandboxState } from '../../core/model/sandbox';
import type { BoundSandbox } from '../../core/boundSandbox';

export interface ActiveForward {
  id: number;
  context: string;
  namespace: string;
  sandbox: string;
  remotePort: number;
  localPort: number;
  /** Which path carries the bytes, for the user: "exec tunnel (python3)". */
  path: string;
  startedAt: number;
  url: string;
}

interface Entry {
  info: ActiveForward;
  forward: ExecForward;
  watch: CollectionWatch;
  /** An open forward keeps the sandbox from auto-hibernating, even with no connection on it. */
  held?: { dispose(): void };
}

/**
 * The port forwards the user started. Each one watches its sandbox: when it stops running
 * (hibernated, expired, deleted) the forward ends and the user is told — never a dead port
 * that silently refuses connections.
 */
export class ForwardManager implements vscode.Disposable {
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly statusItem = vscode.window.createStatusBarItem('agentSandbox.forwards', vscode.StatusBarAlignment.Left, 40);

  constructor(
    private readonly log: Logger,
    /** Forwarded traffic counts as use of the sandbox (idle time, auto-hibernate). */
    private readonly activity: ActivityTracker,
  ) {
    this.statusItem.name = 'Agent Sandbox Port Forwards';
    this.statusItem.command = 'agentSandbox.listForwards';
  }

  list(): ActiveForward[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  /** Starts forwarding `localPort` (0 = any free port) to `remotePort` inside the sandbox. */
  async start(target: BoundSandbox, podNow: string, container: string | undefined, remotePort: number, localPort: number): Promise<ActiveForward> {
    const relay = await probeRelay(target.client, { namespace: target.namespace, pod: podNow, container });
    let pod: string | undefined = podNow;
    const ref = { context: target.context, namespace: target.namespace, sandbox: target.name };
    const options = {
      onProblem: (message: string) => void vscode.window.showWarningMessage(`Port forward to ${target.name}:${remotePort}: ${message}`),
      onTraffic: () => this.activity.touch(ref, 'port-forward'),
    };
    const spec = { namespace: target.namespace, pod: () => pod, container, remotePort };
    const forward = await ExecForward.start(target.client, spec, relay, { ...options, localPort }, this.log).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' && localPort !== 0) {
        this.log.info(`local port ${localPort} is busy; using a free one`);
        return ExecForward.start(target.client, spec, relay, { ...options, localPort: 0 }, this.log);
      }
      throw err;
    });
    const id = this.nextId++;
    const info: ActiveForward = {
      id,
      context: target.context,
      namespace: target.namespace,
      sandbox: target.name,
      remotePort,
      localPort: forward.localPort,
      path: `exec tunnel (${relay} relay inside the sandbox)`,
      startedAt: Date.now(),
      url: `http://localhost:${forward.localPort}`,
    };
    const watch = watchCollection(
      target.client,
      collectionPath(target.api, 'Sandbox', target.namespace),
      byName(target.name),
      () => {
        if (!watch.synced) return;
        const sb = watch.items[0];
        pod = sb ? podName(sb) : undefined;
        const state = sb ? sandboxState(sb) : 'Deleted';
        if (state !== 'Running' && state !== 'Starting') {
          void this.stop(id, `sandbox ${target.name} is ${state.toLowerCase()}`);
        }
      },
      this.log,
      `forward ${target.name}:${remotePort}`,
    );
    this.entries.set(id, { info, forward, watch, held: this.activity?.hold(ref, 'forward-open') });
    this.log.info(`forwarding 127.0.0.1:${info.localPort} → ${target.namespace}/${target.name}:${remotePort} via ${info.path}`);
    this.changed();
    return info;
  }

  /** Stops a forward; with a reason, the user is told why it ended. */
  async stop(id: number, reason?: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    e.held?.dispose();
    e.watch.stop();
    try {
      await e.forward.stop();
    } catch (err) {
      this.log.warn(`stopping forward ${id}: ${describeError(err)}`);
    }
    this.log.info(`stopped forward localhost:${e.info.localPort} → ${e.info.sandbox}:${e.info.remotePort}${reason ? ` (${reason})` : ''}`);
    if (reason) void vscode.window.showWarningMessage(`Port forward localhost:${e.info.localPort} → ${e.info.sandbox}:${e.info.remotePort} ended: ${reason}.`);
    this.changed();
  }

  private changed(): void {
    const n = this.entries.size;
    if (n === 0) this.statusItem.hide();
    else {
      this.statusItem.text = `$(plug) ${n}`;
      this.statusItem.tooltip = `${n} Agent Sandbox port forward${n > 1 ? 's' : ''}:\n${this.list()
        .map((f) => `${f.url} → ${f.sandbox}:${f.remotePort}`)
        .join('\n')}`;
      this.statusItem.show();
    }
    this.emitter.fire();
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) void this.stop(id);
    this.statusItem.dispose();
    this.emitter.dispose();
  }
}
