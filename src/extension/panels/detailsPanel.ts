import type * as vscode from 'vscode';
import { buildDetails, sandboxPvcNames, sandboxServiceName } from '../../core/details/sandboxDetails';
import { resolveLineage } from '../../core/details/lineage';
import { byName, CollectionWatch, corePath, watchCollection } from '../../core/k8s/collectionWatch';
import { describeError, KubeError } from '../../core/k8s/errors';
import { collectionPath, KindName, objectPath } from '../../core/k8s/resources';
import type { BoundSandbox } from '../../core/boundSandbox';
import type { KubeObject } from '../../core/model/objects';
import { controllerOwner, podName } from '../../core/model/sandbox';
import type { DetailsAction, DetailsProtocol, ObjectRef } from '../../shared/detailsProtocol';
import { PanelHost } from '../webviews/panelHost';
import { assertActiveContext, PanelActions, PanelDeps, SandboxAt } from './panelSupport';
import { ReachWatch } from './reachWatch';

/** Opens a related object; provided by Panels (YAML editor, pool panel, details). */
export type OpenRef = (context: string, ref: ObjectRef) => Promise<void>;

/** Every button is wired to a feature of this extension, so each is offered (enabled by state alone). */
const CAN = { terminal: true, files: true };

/**
 * The live details of one sandbox. It owns its watches (the sandbox, its claim, its pod and their
 * events), so it stays live while the tree is hidden; everything is disposed with the panel.
 */
export class DetailsPanel implements vscode.Disposable {
  private readonly host: PanelHost<DetailsProtocol>;
  private readonly watches = new Map<string, CollectionWatch>();
  private timer: NodeJS.Timeout | undefined;
  private readonly named = new Map<string, KubeObject | undefined>();
  private extras: { rv?: string | undefined; service?: { name: string; found: boolean } | undefined; pvcs: { name: string; found?: boolean | undefined }[] } = {
    pvcs: [],
  };
  private readonly reach: ReachWatch;

  constructor(
    private readonly deps: PanelDeps,
    private readonly target: BoundSandbox,
    private readonly openRef: OpenRef,
    private readonly actions: PanelActions,
  ) {
    const t = target;
    this.host = new PanelHost<DetailsProtocol>(
      deps.extensionUri,
      'agentSandbox.details',
      'details',
      `Sandbox ${t.name}`,
      {
        commands: {
          ready: () => undefined,
          action: ({ action, port }) => this.runAction(action, port),
          refreshPorts: () => void this.reach.tick(true),
          open: ({ ref }) => this.open(ref),
        },
        requests: {},
      },
      () => this.refreshNow(),
      deps.log,
    );
    this.watch('sandbox', collectionPath(t.api, 'Sandbox', t.namespace), byName(t.name));
    this.watch('sandboxEvents', corePath(t.namespace, 'events'), { fieldSelector: `involvedObject.name=${t.name}` });
    this.reach = new ReachWatch(
      t,
      () => this.sandbox(),
      () => this.host.visible,
      () => this.schedule(),
      deps.log,
    );
    this.host.own(this.reach);
    this.host.own({ dispose: () => this.stopAll() });
    this.host.own(this.host.panel.onDidChangeViewState(() => this.schedule()));
  }

  get panel(): PanelHost<DetailsProtocol> {
    return this.host;
  }

  reveal(): void {
    this.host.reveal();
  }

  dispose(): void {
    this.host.dispose();
  }

  private watch(id: string, path: string, query: { fieldSelector?: string }): void {
    const key = `${id}\u0000${path}?${query.fieldSelector ?? ''}`;
    for (const [k, w] of this.watches) {
      if (k.startsWith(`${id}\u0000`) && k !== key) {
        w.stop();
        this.watches.delete(k);
      }
    }
    if (this.watches.has(key)) return;
    this.watches.set(
      key,
      watchCollection(this.target.client, path, query, () => this.schedule(), this.deps.log, `details ${this.target.name} ${id}`),
    );
  }

  private items(id: string): KubeObject[] {
    for (const [k, w] of this.watches) if (k.startsWith(`${id}\u0000`)) return w.items;
    return [];
  }

  private watchError(id: string): KubeError | undefined {
    for (const [k, w] of this.watches) if (k.startsWith(`${id}\u0000`)) return w.error;
    return undefined;
  }

  private stopAll(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
  }

  /** Coalesces bursts of watch events (a status update touches several objects at once). */
  private schedule(): void {
    if (this.timer || this.host.isDisposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refreshNow();
    }, 150);
  }

  private sandbox(): KubeObject | undefined {
    return this.items('sandbox')[0];
  }

  /** Reads an object once per name (pools and templates rarely change while a panel is open). */
  private lookup(kind: KindName, name: string): KubeObject | undefined {
    const key = `${kind}/${name}`;
    if (!this.named.has(key)) {
      this.named.set(key, undefined);
      this.target.client
        .get<KubeObject>(objectPath(this.target.api, kind, this.target.namespace, name), { what: `read ${kind} ${name}` })
        .then(
          (o) => this.named.set(key, o),
          (err) => this.deps.log.debug(`details: ${describeError(err)}`),
        )
        .finally(() => this.schedule());
    }
    return this.named.get(key);
  }

  private followRelated(sb: KubeObject | undefined): void {
    const t = this.target;
    const pod = sb ? (podName(sb) ?? sb.metadata.name) : t.name;
    this.watch('pod', corePath(t.namespace, 'pods'), byName(pod));
    const owner = sb ? controllerOwner(sb) : undefined;
    if (owner?.kind === 'SandboxClaim' && t.api.extensions) {
      this.watch('claim', collectionPath(t.api, 'SandboxClaim', t.namespace), byName(owner.name));
      this.watch('claimEvents', corePath(t.namespace, 'events'), { fieldSelector: `involvedObject.name=${owner.name}` });
    }
    if (sb && sb.metadata.resourceVersion !== this.extras.rv) {
      this.extras.rv = sb.metadata.resourceVersion;
      void this.readExtras(sb);
    }
  }

  /** Service and PVCs are plain reads, refreshed when the sandbox changes. */
  private async readExtras(sb: KubeObject): Promise<void> {
    const t = this.target;
    const exists = async (plural: 'services' | 'persistentvolumeclaims', name: string): Promise<boolean | undefined> => {
      try {
        await t.client.get(corePath(t.namespace, plural, name), { what: `read ${plural} ${name}` });
        return true;
      } catch (err) {
        return err instanceof KubeError && err.isNotFound ? false : undefined;
      }
    };
    const svc = sandboxServiceName(sb);
    const service = svc ? { name: svc, found: (await exists('services', svc)) !== false } : undefined;
    const pvcs = await Promise.all(sandboxPvcNames(sb).map(async (name) => ({ name, found: await exists('persistentvolumeclaims', name) })));
    this.extras = { rv: sb.metadata.resourceVersion, service, pvcs };
    this.schedule();
  }

  private refreshNow(): void {
    // A hidden page is torn down; it says `ready` when shown again and gets a fresh snapshot then.
    if (!this.host.visible) return;
    const t = this.target;
    if (!this.isSynced('sandbox')) {
      // Until the first list answers, "not found" would be a lie; say why it is slow instead.
      const err = this.watchError('sandbox');
      if (err) this.host.notify('error', { message: `Cannot read sandbox ${t.name}: ${err.message}` });
      return;
    }
    const sb = this.sandbox();
    this.followRelated(sb);
    const claimObj = this.items('claim')[0];
    const lineage = sb
      ? resolveLineage(
          {
            get: (kind, _ns, name) =>
              kind === 'SandboxClaim' && claimObj?.metadata.name === name ? claimObj : kind === 'SandboxClaim' ? undefined : this.lookup(kind, name),
          },
          sb,
        )
      : {};
    const eventsError = this.watchError('sandboxEvents');
    const snapshot = buildDetails({
      context: t.context,
      namespace: t.namespace,
      name: t.name,
      sandbox: sb,
      lineage,
      pod: this.items('pod')[0],
      service: this.extras.service,
      pvcs: this.extras.pvcs,
      events: [...this.items('sandboxEvents'), ...this.items('claimEvents')],
      eventsError: eventsError ? `Events are not available: ${eventsError.message}` : undefined,
      can: CAN,
    });
    this.host.notify('snapshot', { ...snapshot, reach: this.reach.view() });
  }

  private isSynced(id: string): boolean {
    for (const [k, w] of this.watches) if (k.startsWith(`${id}\u0000`)) return w.synced;
    return false;
  }

  private async runAction(action: DetailsAction, port?: number): Promise<void> {
    const t = this.target;
    try {
      assertActiveContext(this.deps.manager, t.context);
      const at: SandboxAt = { context: t.context, namespace: t.namespace, name: t.name };
      const claim = this.items('claim')[0];
      switch (action) {
        case 'hibernate':
          return await this.actions.hibernate(at);
        case 'resume':
          return await this.actions.resume(at);
        case 'terminal':
          return await this.actions.openTerminal(at);
        case 'files':
          return await this.actions.openInWorkspace(at);
        case 'logs':
          return await this.actions.showLogs(at);
        case 'forwardPort':
          return await this.actions.forwardPort(at, port);
        case 'preview':
          return await this.actions.openPreview(at, port);
        case 'editYaml':
          return await this.actions.editYaml('Sandbox', at);
        case 'delete':
          // A claimed sandbox is torn down by deleting its claim (deleting the sandbox makes the claim provision a new one).
          return await (claim
            ? this.actions.delete('SandboxClaim', { ...at, name: claim.metadata.name }, claim)
            : this.actions.delete('Sandbox', at, this.sandbox()));
      }
    } catch (err) {
      this.host.notify('error', { message: describeError(err) });
    }
  }

  private async open(ref: ObjectRef): Promise<void> {
    try {
      await this.openRef(this.target.context, ref);
    } catch (err) {
      this.host.notify('error', { message: describeError(err) });
    }
  }
}
