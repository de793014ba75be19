import * as vscode from 'vscode';
import type { KindName } from '../../core/k8s/resources';
import { containerNames } from '../../core/model/sandbox';
import type { ObjectRef } from '../../shared/detailsProtocol';
import { DetailsPanel } from '../panels/detailsPanel';
import { LogsPanel } from '../panels/logsPanel';
import { panelKey, PanelDeps, PanelRegistry, PanelTarget } from '../panels/panelSupport';
import { PoolPanel } from '../panels/poolPanel';
import { EDIT_SCHEME, EditableYamlProvider, editUri } from '../yaml/editableYaml';
import { ForwardManager } from '../forwards/forwardManager';
import { registerForwardCommands } from './forwardCommands';
import { registerPreviewCommands } from './previewCommands';
import type { RouterTokens } from '../preview/routerTokens';
import { portTooltipSource } from '../preview/portTooltip';
import { pickLive } from './livePick';
import { CommandContext, isResourceNode, register, requireReady, sandboxOf, UserError } from './support';

/**
 * Insight and reach: the details, logs and warm pool panels, editable YAML and port forwards.
 * Builds the services these need (panel registries, forward manager, YAML file system) and
 * returns every disposable so the composition root owns them.
 */
export function registerInsightCommands(ctx: CommandContext, extensionUri: vscode.Uri, tokens: RouterTokens): vscode.Disposable[] {
  const deps: PanelDeps = { extensionUri, manager: ctx.manager, log: ctx.log, activity: ctx.activity };
  const details = new PanelRegistry<DetailsPanel>();
  const logs = new PanelRegistry<LogsPanel>();
  const pools = new PanelRegistry<PoolPanel>();
  const forwards = new ForwardManager(ctx.log, ctx.activity);
  const yaml = new EditableYamlProvider(ctx.manager, ctx.log);

  const openRef = async (context: string, ref: ObjectRef): Promise<void> => {
    if (ref.kind === 'Sandbox') return showDetails(ctx, deps, details, openRef, target(ctx, context, ref.namespace, ref.name));
    if (ref.kind === 'SandboxWarmPool') return showPool(deps, pools, target(ctx, context, ref.namespace, ref.name));
    await openYaml(context, ref.kind, ref.namespace, ref.name);
  };

  return [
    details,
    logs,
    pools,
    forwards,
    yaml,
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, yaml, { isCaseSensitive: true }),
    register(ctx, 'agentSandbox.showDetails', async (arg) => {
      const t = await sandboxTarget(ctx, arg, 'Show details of which sandbox?');
      if (t) showDetails(ctx, deps, details, openRef, t);
    }),
    register(ctx, 'agentSandbox.showLogs', async (arg) => {
      const t = await sandboxTarget(ctx, arg, 'Show the log of which sandbox?');
      if (!t) return;
      const ready = requireReady(ctx);
      const sb = ready.model.get('Sandbox', t.namespace, t.name) ?? (await ready.ops.get('Sandbox', t.namespace, t.name).catch(() => undefined));
      logs.show(panelKey('logs', t.context, t.namespace, t.name), () => new LogsPanel(deps, t, sb ? containerNames(sb) : []), (p, cb) => p.panel.onDidDispose(cb));
    }),
    register(ctx, 'agentSandbox.showPool', async (arg) => {
      const ready = requireReady(ctx);
      const pool = isResourceNode(arg) && arg.kind === 'SandboxWarmPool' ? arg.object : await pickLive(ready, 'SandboxWarmPool', 'Show which warm pool?');
      if (!pool) return;
      showPool(deps, pools, target(ctx, ready.session.context, pool.metadata.namespace ?? '', pool.metadata.name));
    }),
    register(ctx, 'agentSandbox.editYaml', async (arg) => {
      if (isResourceNode(arg)) return openYaml(arg.context || requireReady(ctx).session.context, arg.kind, arg.namespace, arg.name);
      const t = await sandboxTarget(ctx, arg, 'Edit the YAML of which sandbox?');
      if (t) await openYaml(t.context, 'Sandbox', t.namespace, t.name);
    }),
    ...registerForwardCommands(ctx, forwards, (arg, title) => sandboxTarget(ctx, arg, title)),
    ...registerPreviewCommands(ctx, forwards, tokens, (arg, title) => sandboxTarget(ctx, arg, title)),
    ctx.tree.addTooltipSource(portTooltipSource(() => ctx.manager.session?.client)),
  ];
}

async function openYaml(context: string, kind: KindName | ObjectRef['kind'], namespace: string, name: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(editUri(context, kind, namespace, name));
  if (doc.languageId !== 'yaml') await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** A panel's binding: the active session's client, for a context that must be the active one. */
function target(ctx: CommandContext, context: string, namespace: string, name: string): PanelTarget {
  const { session, api } = requireReady(ctx);
  if (context && context !== session.context) throw new UserError(`${name} is in context "${context}"; switch to it first.`);
  return { context: session.context, client: session.client, api, namespace, name };
}

/** The sandbox a command is about: the clicked sandbox (or a claim's sandbox), else a picker. */
async function sandboxTarget(ctx: CommandContext, arg: unknown, title: string): Promise<PanelTarget | undefined> {
  const ready = requireReady(ctx);
  if (isResourceNode(arg)) {
    const ref = sandboxOf(arg, ready.model);
    return target(ctx, arg.context || ready.session.context, ref.namespace, ref.name);
  }
  const sb = await pickLive(ready, 'Sandbox', title);
  return sb ? target(ctx, ready.session.context, sb.metadata.namespace ?? '', sb.metadata.name) : undefined;
}

function showDetails(ctx: CommandContext, deps: PanelDeps, registry: PanelRegistry<DetailsPanel>, openRef: (context: string, ref: ObjectRef) => Promise<void>, t: PanelTarget): void {
  registry.show(panelKey('details', t.context, t.namespace, t.name), () => new DetailsPanel(deps, t, openRef), (p, cb) => p.panel.onDidDispose(cb));
  ctx.log.debug(`details panel for ${t.namespace}/${t.name}`);
}

function showPool(deps: PanelDeps, registry: PanelRegistry<PoolPanel>, t: PanelTarget): void {
  registry.show(panelKey('pool', t.context, t.namespace, t.name), () => new PoolPanel(deps, t), (p, cb) => p.panel.onDidDispose(cb));
}
