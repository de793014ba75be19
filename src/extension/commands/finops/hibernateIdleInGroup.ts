import * as vscode from 'vscode';
import { formatMoney, sandboxCost } from '../../../core/finops/cost';
import { sandboxState } from '../../../core/model/sandbox';
import type { BucketNode, GroupNode } from '../../../core/tree/nodes';
import { readSettings } from '../../config';
import { CommandContext, requireReady, UserError } from '../support';
import { Candidate, hibernateAll } from './hibernateAll';

/**
 * Hibernate Idle in This Group…: the running sandboxes of a Sandboxes row or one of its groups
 * that this window has not used within the auto-hibernate idle time, after one confirmation
 * with their number and the compute cost they stop.
 */
export async function hibernateIdleInGroup(ctx: CommandContext, node?: GroupNode | BucketNode): Promise<void> {
  if (!node) throw new UserError('Choose a group of sandboxes in the tree.');
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
