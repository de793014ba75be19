import * as vscode from 'vscode';
import { formatMoney, sandboxCost } from '../../core/finops/cost';
import { idleText } from '../../core/finops/idle';
import { describeError } from '../../core/k8s/errors';
import type { KubeObject } from '../../core/model/objects';
import { sandboxState } from '../../core/model/sandbox';
import { readSettings } from '../config';
import { CommandContext, register, requireReady, seconds, UserError } from './support';

export interface Candidate {
  sb: KubeObject;
  namespace: string;
  name: string;
  /** Undefined: this window never used it. */
  idleMs: number | undefined;
  perHour: number;
}

type Item = vscode.QuickPickItem & { candidate?: Candidate };

/** Hibernate Idle Sandboxes…: every running sandbox with its idle time and cost; the chosen ones hibernate together. */
export function registerFinopsCommands(ctx: CommandContext): vscode.Disposable[] {
  return [register(ctx, 'agentSandbox.hibernateIdle', () => hibernateIdle(ctx))];
}

async function hibernateIdle(ctx: CommandContext): Promise<void> {
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

/** Hibernates the chosen sandboxes together and reports the time taken and the compute cost saved. */
export async function hibernateAll(
  ctx: CommandContext,
  ops: ReturnType<typeof requireReady>['ops'],
  chosen: Candidate[],
  timeoutMs: number,
  currency: string,
): Promise<void> {
  const label = chosen.length === 1 ? chosen[0]!.name : `${chosen.length} sandboxes`;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Hibernating ${label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const start = Date.now();
      let done = 0;
      // All patches go out at once; then each waits on its own watch until Suspended=True.
      const results = await Promise.allSettled(
        chosen.map(async (c) => {
          await ops.setSuspended(c.namespace, c.name, true);
          await ops.waitHibernated(c.namespace, c.name, { timeoutMs, signal: abort.signal });
          done++;
          progress.report({ message: `${done} of ${chosen.length} hibernated`, increment: 100 / chosen.length });
        }),
      );
      if (abort.signal.aborted) {
        void vscode.window.showInformationMessage(
          `Stopped waiting. The requests were sent; the tree shows when ${label} ${chosen.length === 1 ? 'is' : 'are'} hibernated.`,
        );
        return;
      }
      const failed = chosen.map((c, i) => ({ r: results[i], c })).filter((x) => x.r?.status === 'rejected');
      for (const { r, c } of failed) ctx.log.error(`Hibernate ${c.namespace}/${c.name} failed: ${describeError((r as PromiseRejectedResult).reason)}`);
      const saved = chosen.filter((_, i) => results[i]?.status === 'fulfilled').reduce((sum, c) => sum + c.perHour, 0);
      const [firstFailure] = failed;
      if (!firstFailure) {
        void vscode.window.showInformationMessage(
          `Hibernated ${label} in ${seconds(Date.now() - start)}; about ${formatMoney(saved, currency)}/h less compute.`,
        );
      } else {
        const first = describeError((firstFailure.r as PromiseRejectedResult).reason);
        const choice = await vscode.window.showErrorMessage(
          `Hibernating ${failed.length === 1 ? firstFailure.c.name : `${failed.length} of ${chosen.length} sandboxes`} failed: ${first}`,
          'Show Log',
        );
        if (choice === 'Show Log') ctx.log.show(true);
      }
    },
  );
}
