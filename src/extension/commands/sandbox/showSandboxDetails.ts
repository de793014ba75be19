import type * as vscode from 'vscode';
import type { BoundSandbox } from '../../../core/boundSandbox';
import type { ForwardManager } from '../../forwards/forwardManager';
import type { Panels } from '../../panels/panels';
import type { RouterTokens } from '../../preview/routerTokens';
import { openEditableYaml } from '../../yaml/editableYaml';
import { registerForwardCommands } from '../forward/listForwards';
import { pickLive } from '../livePick';
import { registerPreviewCommands } from '../preview/setRouterUrl';
import { CommandContext, isResourceNode, register, requireReady, sandboxOf } from '../support';

export type InsightServices = CommandContext & { panels: Panels; forwards: ForwardManager; tokens: RouterTokens };

/** Insight and reach: the details, logs and warm pool panels, editable YAML and port forwards. */
export function registerInsightCommands(s: InsightServices): vscode.Disposable[] {
  const { panels, forwards, tokens } = s;
  const ctx: CommandContext = s;
  const pickTarget = (arg: unknown, title: string) => sandboxTarget(s, arg, title);
  return [
    register(ctx, 'agentSandbox.showDetails', async (arg) => {
      const t = await sandboxTarget(s, arg, 'Show details of which sandbox?');
      if (t) panels.showDetails(t);
    }),
    register(ctx, 'agentSandbox.showLogs', async (arg) => {
      const t = await sandboxTarget(s, arg, 'Show the log of which sandbox?');
      if (t) await panels.showLogs(t);
    }),
    register(ctx, 'agentSandbox.showPool', async (arg) => {
      const ready = requireReady(ctx);
      const pool = isResourceNode(arg) && arg.kind === 'SandboxWarmPool' ? arg.object : await pickLive(ready, 'SandboxWarmPool', 'Show which warm pool?');
      if (!pool) return;
      panels.showPool(panels.target({ context: ready.session.context, namespace: pool.metadata.namespace ?? '', name: pool.metadata.name }));
    }),
    register(ctx, 'agentSandbox.editYaml', async (arg) => {
      if (isResourceNode(arg)) return openEditableYaml(arg.context || requireReady(ctx).session.context, arg.kind, arg.namespace, arg.name);
      const t = await sandboxTarget(s, arg, 'Edit the YAML of which sandbox?');
      if (t) await openEditableYaml(t.context, 'Sandbox', t.namespace, t.name);
    }),
    ...registerForwardCommands(ctx, forwards, pickTarget),
    ...registerPreviewCommands(ctx, forwards, tokens, pickTarget),
  ];
}

/** The sandbox a command is about: the clicked sandbox (or a claim's sandbox), else a picker. */
async function sandboxTarget(s: InsightServices, arg: unknown, title: string): Promise<BoundSandbox | undefined> {
  const ready = requireReady(s);
  if (isResourceNode(arg)) {
    const ref = sandboxOf(arg, ready.model);
    return s.panels.target({ context: arg.context || ready.session.context, ...ref });
  }
  const sb = await pickLive(ready, 'Sandbox', title);
  return sb ? s.panels.target({ context: ready.session.context, namespace: sb.metadata.namespace ?? '', name: sb.metadata.name }) : undefined;
}
