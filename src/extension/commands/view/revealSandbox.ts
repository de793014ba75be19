import * as vscode from 'vscode';
import { formatMoney, sandboxCost } from '../../../core/finops/cost';
import { formatFilterQuery, isEmptyFilter, parseFilterQuery, SandboxFilter } from '../../../core/tree/sandboxFilter';
import { sandboxState } from '../../../core/model/sandbox';
import { readSettings } from '../../config';
import type { BucketNode, GroupNode } from '../../../core/tree/nodes';
import { Candidate, hibernateAll } from '../finops/hibernateIdleSandboxes';
import { CommandContext, register, requireReady, UserError } from '../support';

/** The tree at fleet size: filter and its clear, grouping toggle, Reveal Sandbox…, Hibernate Idle in This Group…. */
export function registerTreeCommands(ctx: CommandContext): vscode.Disposable[] {
  const { tree } = ctx;
  return [
    register(ctx, 'agentSandbox.filterSandboxes', () => filterSandboxes(ctx)),
    register(ctx, 'agentSandbox.clearFilter', () => tree.setFilter({})),
    register(ctx, 'agentSandbox.groupByOwner', () => tree.setGrouping('owner')),
    register(ctx, 'agentSandbox.groupByState', () => tree.setGrouping('state')),
    register(ctx, 'agentSandbox.revealSandbox', () => revealSandbox(ctx)),
    register(ctx, 'agentSandbox.hibernateIdleInGroup', (node) => hibernateIdleInGroup(ctx, node)),
  ];
}

/** One box: a name part and state:, label:, by: terms, checked as typed with the number that match. */
async function filterSandboxes(ctx: CommandContext): Promise<void> {
  const { model } = requireReady(ctx);
  const all = model.all('Sandbox');
  const count = (f: SandboxFilter): number => all.filter((sb) => ctx.tree.passes(sb, f)).length;
  const value = await vscode.window.showInputBox({
    title: 'Filter sandboxes',
    prompt: 'Name part, then any of state:running,hibernated · label:app=web,!spot · by:me or by:agent (empty: show all)',
    placeHolder: 'web state:running label:app=web by:agent',
    value: formatFilterQuery(ctx.tree.sandboxFilter),
    validateInput: (text) => {
      try {
        const f = parseFilterQuery(text);
        if (isEmptyFilter(f)) return undefined;
        return { message: `${count(f)} of ${all.length} sandboxes match`, severity: vscode.InputBoxValidationSeverity.Info };
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (value === undefined) return;
  ctx.tree.setFilter(parseFilterQuery(value));
}

type RevealItem = vscode.QuickPickItem & { namespace: string; name: string };

/** Every sandbox in the chosen namespaces in one quick pick that follows the model while open; the chosen one is revealed in the tree. */
async function revealSandbox(ctx: CommandContext): Promise<void> {
  // The model runs while the view is visible: show it first, so the list is live.
  await vscode.commands.executeCommand('agentSandbox.explorer.focus');
  const ready = requireReady(ctx);
  const pick = vscode.window.createQuickPick<RevealItem>();
  pick.title = 'Reveal sandbox';
  pick.placeholder = 'Type part of a sandbox name';
  pick.matchOnDescription = true;
  const load = (): void => {
    const items = ready.model
      .all('Sandbox')
      .map((sb) => ({
        label: sb.metadata.name,
        description: `${sb.metadata.namespace ?? ''} · ${sandboxState(sb)}`,
        namespace: sb.metadata.namespace ?? '',
        name: sb.metadata.name,
      }))
      .sort((a, b) => a.label.localeCompare(b.label) || a.namespace.localeCompare(b.namespace));
    const active = pick.activeItems[0];
    pick.items = items;
    if (active) pick.activeItems = items.filter((i) => i.name === active.name && i.namespace === active.namespace);
    pick.busy = !ready.model.isRunning;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sub = ready.model.onDidChange(() => {
    timer ??= setTimeout(() => ((timer = undefined), load()), 300);
  });
  load();
  const chosen = await new Promise<RevealItem | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  sub.dispose();
  if (timer) clearTimeout(timer);
  pick.dispose();
  if (!chosen) return;
  let node = ctx.tree.sandboxNode(chosen.namespace, chosen.name);
  if (!node && ctx.tree.filtered && ready.model.get('Sandbox', chosen.namespace, chosen.name)) {
    ctx.tree.setFilter({});
    void vscode.window.showInformationMessage(`${chosen.name} was hidden by the filter; the filter is cleared.`);
    node = ctx.tree.sandboxNode(chosen.namespace, chosen.name);
  }
  if (!node) throw new UserError(`Sandbox ${chosen.namespace}/${chosen.name} is gone.`);
  await ctx.treeView.reveal(node, { select: true, focus: true, expand: false });
}

/**
 * Hibernate Idle in This Group…: the running sandboxes of a Sandboxes row or one of its groups
 * that this window has not used within the auto-hibernate idle time, after one confirmation
 * with their number and the compute cost they stop.
 */
async function hibernateIdleInGroup(ctx: CommandContext, arg: unknown): Promise<void> {
  const node = arg as GroupNode | BucketNode | undefined;
  if (!node || (node.type !== 'bucket' && !(node.type === 'group' && node.kind === 'Sandbox'))) throw new UserError('Choose a group of sandboxes in the tree.');
  const { session, ops } = requireReady(ctx);
  const settings = readSettings();
  const thresholdMs = settings.autoHibernateIdleMinutes * 60_000;
  const running = ctx.tree.sandboxesOf(node).filter((sb) => sandboxState(sb) === 'Running');
  const candidates: Candidate[] = running.map((sb) => {
    const namespace = sb.metadata.namespace ?? '';
    const idleMs = ctx.activity.idleMs({ context: session.context, namespace, sandbox: sb.metadata.name });
    return { sb, namespace, name: sb.metadata.name, idleMs, perHour: sandboxCost(sb, settings.prices).computeHour };
  });
  const idle = candidates.filter((c) => c.idleMs === undefined || c.idleMs >= thresholdMs);
  const where = node.type === 'bucket' ? `${node.label} (${node.namespace})` : `Sandboxes (${node.namespace})`;
  if (idle.length === 0) {
    throw new UserError(
      running.length
        ? `All ${running.length} running sandboxes in ${where} were used in this window in the last ${settings.autoHibernateIdleMinutes} min.`
        : `No sandbox in ${where} is running.`,
    );
  }
  const perHour = idle.reduce((sum, c) => sum + c.perHour, 0);
  const inUse = candidates.length - idle.length;
  const detail = [
    `Idle: running and not used from this window in the last ${settings.autoHibernateIdleMinutes} min (agentSandbox.autoHibernate.idleMinutes).`,
    inUse ? `${inUse} in use stay running.` : '',
    'Their files stay on their volumes; Resume brings them back.',
    'Cost: requested CPU and memory at the prices in settings.',
  ]
    .filter(Boolean)
    .join(' ');
  const label = `Hibernate ${idle.length}`;
  const choice = await vscode.window.showWarningMessage(
    `Hibernate ${idle.length} idle sandbox${idle.length === 1 ? '' : 'es'} in ${where}? About ${formatMoney(perHour, settings.prices.currency)}/h less compute.`,
    { modal: true, detail },
    label,
  );
  if (choice !== label) return;
  await hibernateAll(ctx, ops, idle, settings.hibernateTimeoutSeconds * 1000, settings.prices.currency);
}
