import * as vscode from 'vscode';
import { sandboxState } from '../../../core/model/sandbox';
import { CommandContext, requireReady, UserError } from '../support';

type RevealItem = vscode.QuickPickItem & { namespace: string; name: string };

/** Reveal Sandbox…: every sandbox in the chosen namespaces in one quick pick that follows the model while open; the chosen one is revealed in the tree. */
export async function revealSandbox(ctx: CommandContext): Promise<void> {
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
