import * as vscode from 'vscode';
import { formatMoney, sandboxCost } from '../../../core/finops/cost';
import { idleText } from '../../../core/finops/idle';
import { sandboxState } from '../../../core/model/sandbox';
import { readSettings } from '../../config';
import { CommandContext, requireReady, UserError } from '../support';
import { Candidate, hibernateAll } from './hibernateAll';

type Item = vscode.QuickPickItem & { candidate?: Candidate };

/** Hibernate Idle Sandboxes…: every running sandbox with its idle time and cost; the chosen ones hibernate together. */
export async function hibernateIdleSandboxes(ctx: CommandContext): Promise<void> {
  const { session, model, ops } = requireReady(ctx);
  const settings = readSettings();
  const { prices } = settings;
  const thresholdMs = settings.autoHibernateIdleMinutes * 60_000;
  const candidates: Candidate[] = model
    .all('Sandbox')
    .filter((sb) => sandboxState(sb) === 'Running')
    .map((sb) => {
      const namespace = sb.metadata.namespace ?? '';
      const idleMs = ctx.activity.idleMs({ context: session.context, namespace, sandbox: sb.metadata.name });
      return { sb, namespace, name: sb.metadata.name, idleMs, perHour: sandboxCost(sb, prices).computeHour };
    });
  if (candidates.length === 0) throw new UserError('No sandbox is running.');
  // Used here: longest idle first. Never used here: most expensive first (idle time unknown).
  const used = candidates.filter((c) => c.idleMs !== undefined).sort((a, b) => (b.idleMs ?? 0) - (a.idleMs ?? 0));
  const unused = candidates.filter((c) => c.idleMs === undefined).sort((a, b) => b.perHour - a.perHour);
  const item = (c: Candidate): Item => ({
    label: c.name,
    description: `${c.namespace} · ${c.idleMs === undefined ? 'not used in this window' : idleText(c.idleMs)} · ${formatMoney(c.perHour, prices.currency)}/h`,
    // Preselect only what this window knows to be idle past the auto-hibernate threshold.
    picked: c.idleMs !== undefined && c.idleMs >= thresholdMs,
    candidate: c,
  });
  const items: Item[] = [];
  if (used.length) items.push({ label: 'Used in this window', kind: vscode.QuickPickItemKind.Separator }, ...used.map(item));
  if (unused.length) items.push({ label: 'Not used in this window', kind: vscode.QuickPickItemKind.Separator }, ...unused.map(item));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Hibernate idle sandboxes',
    placeHolder: 'Choose the sandboxes to hibernate (their files stay on their volumes). Cost: requested CPU and memory at the prices in settings.',
    canPickMany: true,
    matchOnDescription: true,
  });
  const chosen = (picked ?? []).map((p) => p.candidate).filter((c): c is Candidate => !!c);
  if (chosen.length === 0) return;
  await hibernateAll(ctx, ops, chosen, settings.hibernateTimeoutSeconds * 1000, prices.currency);
}
