import type * as vscode from 'vscode';
import { describeError } from '../../core/k8s/errors';
import type { Logger } from '../../core/logging/logger';
import type { KubeObject } from '../../core/model/objects';
import { containerNames, podIPs, podName, sandboxState } from '../../core/model/sandbox';
import { detectInClusterRouter } from '../../core/preview/discovery';
import { describePort, reachableFromOutside } from '../../core/preview/listeningPorts';
import { readListeningPorts } from '../../core/preview/readPorts';
import { describeRouterStatus, probeRouter, RouterStatus } from '../../core/preview/router';
import type { ReachView } from '../../shared/detailsProtocol';
import { readSettings } from '../config';
import type { BoundSandbox } from '../../core/boundSandbox';

const PORTS_EVERY_MS = 10_000;
const ROUTER_EVERY_MS = 60_000;

/**
 * The details panel's "Reach" section: the router's state for the context and the sandbox's
 * listening ports. Read only while the panel is visible (one sandbox, every 10 s), never in the
 * background for every sandbox.
 */
export class ReachWatch implements vscode.Disposable {
  private router: RouterStatus | undefined;
  private routerAt = 0;
  private ports: ReachView['ports'] = [];
  private portsNote: string | undefined = 'Reading…';
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private disposed = false;

  constructor(
    private readonly target: BoundSandbox,
    private readonly sandbox: () => KubeObject | undefined,
    private readonly visible: () => boolean,
    private readonly changed: () => void,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.tick(), PORTS_EVERY_MS);
    void this.tick();
  }

  view(): ReachView {
    const r = this.router;
    return {
      router: r ? describeRouterStatus(r) : 'checking…',
      routerTone: r?.kind === 'reachable' ? 'ok' : r?.kind === 'unreachable' ? 'warn' : 'muted',
      ports: this.ports,
      portsNote: this.portsNote,
    };
  }

  /** Re-reads now (the panel's Refresh, a sandbox that just started). */
  async tick(forceRouter = false): Promise<void> {
    if (this.busy || this.disposed || !this.visible()) return;
    this.busy = true;
    try {
      if (forceRouter || !this.router || Date.now() - this.routerAt > ROUTER_EVERY_MS) await this.readRouter();
      await this.readPorts();
    } finally {
      this.busy = false;
      if (!this.disposed) this.changed();
    }
  }

  private async readRouter(): Promise<void> {
    this.routerAt = Date.now();
    const url = readSettings().routerUrls[this.target.context];
    if (url) {
      this.router = await probeRouter(url);
      return;
    }
    const hint = await detectInClusterRouter(this.target.client).catch(
      (err: unknown) => (this.log.debug(`router detection: ${describeError(err)}`), undefined),
    );
    this.router = { kind: 'not-configured', hint: hint ?? 'previews use the exec relay; set a URL with "Set Sandbox Router URL…"' };
  }

  private async readPorts(): Promise<void> {
    const sb = this.sandbox();
    const pod = sb ? podName(sb) : undefined;
    if (!sb || !pod || sandboxState(sb) !== 'Running') {
      this.ports = [];
      this.portsNote = 'The sandbox is not running.';
      return;
    }
    const ips = podIPs(sb);
    try {
      const found = await readListeningPorts(this.target.client, { namespace: this.target.namespace, pod, container: containerNames(sb)[0], podIPs: ips });
      this.ports = found.map((p) => ({ port: p.port, label: describePort(p).replace(/^\d+ · /, ''), podLocal: !reachableFromOutside(p, ips) }));
      this.portsNote = found.length ? undefined : 'Nothing listens yet. A server must bind 0.0.0.0 or $POD_IP for the router to reach it.';
    } catch (err) {
      this.ports = [];
      this.portsNote = describeError(err);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
  }
}
