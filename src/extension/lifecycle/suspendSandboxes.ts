import * as vscode from 'vscode';
import { describeError } from '../../core/k8s/errors';
import { type CommandContext, requireReady, type SandboxRef, seconds } from '../commands/support';
import { readSettings } from '../config';

export type SuspendDeps = Pick<CommandContext, 'manager' | 'log' | 'sessions'>;

/**
 * Hibernate or Resume: merge-patch each Sandbox, then wait on a watch until the state is reached,
 * with progress, cancellation and one summary. The tree's commands, a panel's buttons and a
 * refused file's "Resume" all run this.
 */
export async function suspendSandboxes(ctx: SuspendDeps, suspend: boolean, targets: SandboxRef[]): Promise<void> {
  const { ops } = requireReady(ctx);
  if (targets.length === 0) return;
  if (suspend && !(await confirmEndingSessions(ctx, targets))) return;
  const verb = suspend ? 'Hibernating' : 'Resuming';
  const settings = readSettings();
  const timeoutMs = (suspend ? settings.hibernateTimeoutSeconds : settings.readyTimeoutSeconds) * 1000;
  const label = targets.length === 1 ? targets[0]!.name : `${targets.length} sandboxes`;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${verb} ${label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let done = 0;
      const results = await Promise.allSettled(
        targets.map(async (t) => {
          const start = Date.now();
          await ops.setSuspended(t.namespace, t.name, suspend);
          ctx.log.info(`${verb.toLowerCase()} ${t.namespace}/${t.name}: patched, waiting for ${suspend ? 'the pod to stop' : 'Ready'}`);
          progress.report({ message: suspend ? 'waiting for the pod to stop…' : 'waiting for Ready…' });
          if (suspend) await ops.waitHibernated(t.namespace, t.name, { timeoutMs, signal: abort.signal });
          else await ops.waitReady(t.namespace, t.name, { timeoutMs, signal: abort.signal });
          done++;
          ctx.log.info(`${verb.toLowerCase()} ${t.namespace}/${t.name}: done in ${seconds(Date.now() - start)}`);
          if (targets.length > 1) progress.report({ message: `${done} of ${targets.length} done`, increment: 100 / targets.length });
          return Date.now() - start;
        }),
      );
      if (abort.signal.aborted) {
        void vscode.window.showInformationMessage(
          `Stopped waiting. The request was sent; the tree shows when ${label} ${suspend ? 'is hibernated' : 'is running'}.`,
        );
        return;
      }
      const failures = targets.map((t, i) => ({ r: results[i], t })).filter((x) => x.r?.status === 'rejected');
      for (const { r, t } of failures) ctx.log.error(`${verb} ${t.namespace}/${t.name} failed: ${describeError((r as PromiseRejectedResult).reason)}`);
      const times = results.filter((r): r is PromiseFulfilledResult<number> => r.status === 'fulfilled').map((r) => r.value);
      const what = suspend ? 'Hibernated' : 'Resumed';
      const [firstFailure] = failures;
      if (!firstFailure) {
        void vscode.window.showInformationMessage(`${what} ${label} in ${seconds(Math.max(...times))}.`);
      } else {
        const first = describeError((firstFailure.r as PromiseRejectedResult).reason);
        void vscode.window.showErrorMessage(`${verb} ${failures.length === 1 ? firstFailure.t.name : `${failures.length} sandboxes`} failed: ${first}`);
      }
    },
  );
}

/** Hibernating stops the pod, and with it the shells kept in its session holder: say so first. */
async function confirmEndingSessions(ctx: SuspendDeps, targets: SandboxRef[]): Promise<boolean> {
  const context = ctx.manager.session?.context;
  if (!context) return true;
  const withSessions = targets.map((t) => ({ t, n: ctx.sessions.openIn(context, t.namespace, t.name) })).filter((x) => x.n > 0);
  if (!withSessions.length) return true;
  const n = withSessions.reduce((a, x) => a + x.n, 0);
  const where = withSessions.length === 1 ? withSessions[0]!.t.name : `${withSessions.length} sandboxes`;
  const choice = await vscode.window.showWarningMessage(
    `${where} ${withSessions.length === 1 ? 'has' : 'have'} ${n} terminal session${n === 1 ? '' : 's'} open. Hibernating ends ${n === 1 ? 'it' : 'them'} and what runs in ${n === 1 ? 'it' : 'them'}; the files on volumes are kept.`,
    { modal: true },
    'Hibernate',
  );
  return choice === 'Hibernate';
}
