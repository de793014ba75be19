import * as vscode from 'vscode';
import { byName, CollectionWatch, watchCollection } from '../../core/k8s/collectionWatch';
import { SandboxOperations } from '../../core/k8s/operations';
import { collectionPath } from '../../core/k8s/resources';
import { rec, str } from '../../core/model/objects';
import { PoolTracker } from '../../core/pool/poolTracker';
import type { PoolProtocol } from '../../shared/poolProtocol';
import { PanelHost } from '../webviews/panelHost';
import type { BoundSandbox } from '../../core/boundSandbox';
import { assertActiveContext, PanelActions, PanelDeps } from './panelSupport';

/**
 * A warm pool's health while the panel is open: ready vs desired over time, recent claims and how
 * fast they became Ready, the template's runtime, and the scale control.
 */
export class PoolPanel implements vscode.Disposable {
  private readonly host: PanelHost<PoolProtocol>;
  private readonly tracker = new PoolTracker();
  private readonly watches: Record<'pool' | 'claims' | 'sandboxes', CollectionWatch>;
  private templateWatch: { name: string; watch: CollectionWatch } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: PanelDeps,
    private readonly target: BoundSandbox,
    private readonly actions: Pick<PanelActions, 'showDetails' | 'editYaml'>,
  ) {
    const t = target;
    this.host = new PanelHost<PoolProtocol>(
      deps.extensionUri,
      'agentSandbox.pool',
      'pool',
      `Warm pool ${t.name}`,
      {
        commands: {
          ready: () => undefined,
          openSandbox: ({ name }) => this.openDetails(name),
          openClaim: ({ name }) => this.openClaim(name),
        },
        requests: {
          scale: async ({ replicas }) => {
            assertActiveContext(deps.manager, t.context);
            const ops = new SandboxOperations(t.client, t.api, deps.log);
            const pool = await ops.scalePool(t.namespace, t.name, replicas);
            const desired = typeof pool.spec?.['replicas'] === 'number' ? pool.spec['replicas'] : replicas;
            deps.log.info(`warm pool ${t.namespace}/${t.name} scaled to ${desired} from its panel`);
            return { desired };
          },
        },
      },
      () => this.refresh(),
      deps.log,
    );
    const changed = () => this.schedule();
    const w = (path: string, q: { fieldSelector?: string }, what: string) => watchCollection(t.client, path, q, changed, deps.log, `pool ${t.name} ${what}`);
    // Claims and sandboxes of the namespace: the pool's claims are found by spec.warmPoolRef, its
    // members by label; neither is a field the API server can select on.
    this.watches = {
      pool: w(collectionPath(t.api, 'SandboxWarmPool', t.namespace), byName(t.name), 'pool'),
      claims: w(collectionPath(t.api, 'SandboxClaim', t.namespace), {}, 'claims'),
      sandboxes: w(collectionPath(t.api, 'Sandbox', t.namespace), {}, 'sandboxes'),
    };
    this.host.own({
      dispose: () => {
        if (this.timer) clearTimeout(this.timer);
        for (const x of Object.values(this.watches)) x.stop();
        this.templateWatch?.watch.stop();
      },
    });
  }

  get panel(): PanelHost<PoolProtocol> {
    return this.host;
  }

  reveal(): void {
    this.host.reveal();
  }

  dispose(): void {
    this.host.dispose();
  }

  private schedule(): void {
    if (this.timer || this.host.isDisposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 100);
  }

  private refresh(): void {
    if (this.host.isDisposed || !this.watches.pool.synced) return;
    const t = this.target;
    const pool = this.watches.pool.items[0];
    const templateName = str(rec(pool?.spec?.['sandboxTemplateRef'])?.['name']);
    if (templateName && this.templateWatch?.name !== templateName) {
      this.templateWatch?.watch.stop();
      this.templateWatch = {
        name: templateName,
        watch: watchCollection(
          t.client,
          collectionPath(t.api, 'SandboxTemplate', t.namespace),
          byName(templateName),
          () => this.schedule(),
          this.deps.log,
          `pool ${t.name} template`,
        ),
      };
    }
    // Samples are taken even while hidden, so the history has no gaps; only posting is skipped.
    const snapshot = this.tracker.observe({
      context: t.context,
      namespace: t.namespace,
      name: t.name,
      pool,
      template: this.templateWatch?.watch.items[0],
      claims: this.watches.claims.items,
      sandboxes: this.watches.sandboxes.items,
    });
    if (this.host.visible) this.host.notify('snapshot', snapshot);
  }

  private async openDetails(name: string): Promise<void> {
    await this.actions.showDetails({ context: this.target.context, namespace: this.target.namespace, name });
  }

  private async openClaim(name: string): Promise<void> {
    await this.actions.editYaml('SandboxClaim', { context: this.target.context, namespace: this.target.namespace, name });
  }
}
