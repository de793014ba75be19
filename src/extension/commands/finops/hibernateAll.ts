import * as vscode from 'vscode';
import { formatMoney } from '../../../core/finops/cost';
import { describeError } from '../../../core/k8s/errors';
import type { KubeObject } from '../../../core/model/objects';
import { CommandContext, requireReady, seconds } from '../support';

/** A running sandbox offered for hibernation, with what this window knows of its use and cost. */
export interface Candidate {
  sb: KubeObject;
  namespace: string;
  name: string;
  /** Undefined: this window never used it. */
  idleMs: number | undefined;
  perHour: number;
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
