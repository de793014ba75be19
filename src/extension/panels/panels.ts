import type * as vscode from 'vscode';
import type { BoundSandbox } from '../../core/boundSandbox';
import { containerNames } from '../../core/model/sandbox';
import type { ObjectRef } from '../../shared/detailsProtocol';
import { requireReady, runReported, type ShownLog } from '../commands/support';
import { openEditableYaml } from '../yaml/editableYaml';
import { DetailsPanel } from './detailsPanel';
import { LogsPanel } from './logsPanel';
import { type PanelActions, panelKey, type PanelDeps, PanelRegistry, panelTarget, type SandboxActions, type SandboxAt } from './panelSupport';
import { PoolPanel } from './poolPanel';

/**
 * The details, logs and warm pool panels: one per object (opening it again reveals it), each
 * bound to the context it was opened in. Built once in services.ts; disposing it closes them all.
 */
export class Panels implements vscode.Disposable {
  private readonly details = new PanelRegistry<DetailsPanel>();
  private readonly logs = new PanelRegistry<LogsPanel>();
  private readonly pools = new PanelRegistry<PoolPanel>();
  /** What the panels' buttons run: the sandbox actions plus the panels' own (each reported like its command). */
  private readonly actions: PanelActions;

  constructor(
    private readonly deps: PanelDeps & { log: ShownLog },
    sandbox: SandboxActions,
  ) {
    const report = (label: string, work: () => unknown): Promise<void> => runReported(deps, label, work).then(() => undefined);
    this.actions = {
      ...sandbox,
      showDetails: (s) => report('agentSandbox.showDetails', () => this.showDetails(this.target(s))),
      showLogs: (s) => report('agentSandbox.showLogs', () => this.showLogs(this.target(s))),
      editYaml: (kind, s) => report('agentSandbox.editYaml', () => openEditableYaml(s.context, kind, s.namespace, s.name)),
    };
  }

  /** A panel's binding for a sandbox of the active context (refused for another context). */
  target(s: SandboxAt): BoundSandbox {
    return panelTarget(this.deps.manager, s.context, s.namespace, s.name);
  }

  showDetails(t: BoundSandbox): void {
    this.details.show(
      panelKey('details', t.context, t.namespace, t.name),
      () => new DetailsPanel(this.deps, t, this.openRef, this.actions),
      (p, cb) => p.panel.onDidDispose(cb),
    );
    this.deps.log.debug(`details panel for ${t.namespace}/${t.name}`);
  }

  async showLogs(t: BoundSandbox): Promise<void> {
    const ready = requireReady(this.deps);
    const sb = ready.model.get('Sandbox', t.namespace, t.name) ?? (await ready.ops.get('Sandbox', t.namespace, t.name).catch(() => undefined));
    this.logs.show(
      panelKey('logs', t.context, t.namespace, t.name),
      () => new LogsPanel(this.deps, t, sb ? containerNames(sb) : []),
      (p, cb) => p.panel.onDidDispose(cb),
    );
  }

  showPool(t: BoundSandbox): void {
    this.pools.show(
      panelKey('pool', t.context, t.namespace, t.name),
      () => new PoolPanel(this.deps, t, this.actions),
      (p, cb) => p.panel.onDidDispose(cb),
    );
  }

  /** Opens a related object a details panel links to: a sandbox's details, a pool's panel, else its YAML. */
  readonly openRef = async (context: string, ref: ObjectRef): Promise<void> => {
    const s = { context, namespace: ref.namespace, name: ref.name };
    if (ref.kind === 'Sandbox') return this.showDetails(this.target(s));
    if (ref.kind === 'SandboxWarmPool') return this.showPool(this.target(s));
    await openEditableYaml(context, ref.kind, ref.namespace, ref.name);
  };

  dispose(): void {
    this.details.dispose();
    this.logs.dispose();
    this.pools.dispose();
  }
}
