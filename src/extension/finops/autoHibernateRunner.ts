import * as vscode from 'vscode';
import type { ActivityRef, ActivityTracker } from '../../core/finops/activity';
import type { PolicyOptions } from '../../core/finops/autoHibernatePolicy';
import { formatDuration } from '../../core/finops/idle';
import { IdleHibernator } from '../../core/finops/idleHibernator';
import { systemClock } from '../../core/k8s/clock';
import { describeError } from '../../core/k8s/errors';
import type { Logger } from '../../core/logging/logger';
import { changeKey } from '../../core/model/clusterModel';
import type { DisposableStore } from '../../core/lifecycle';
import type { ReadySession } from '../../core/session';
import type { ClusterManager } from '../../core/clusterManager';
import { onDidChangeSettings, readSettings } from '../config';

/** The countdown between the warning and the hibernation. */
export const WARNING_MS = 60_000;

export function policyOptions(): PolicyOptions {
  const s = readSettings();
  return { enabled: s.autoHibernateEnabled, idleMs: s.autoHibernateIdleMinutes * 60_000, warnMs: WARNING_MS };
}

/**
 * Runs auto-hibernate for the active context: an IdleHibernator per ready session, fed by the
 * live model (a used sandbox that stops or runs again) and by the settings, speaking to the
 * user through notifications. Off unless agentSandbox.autoHibernate.enabled is set.
 */
export class AutoHibernateRunner implements vscode.Disposable {
  private hibernator: IdleHibernator | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<ActivityRef>();
  /** A sandbox's auto-hibernated marker may have changed. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly manager: ClusterManager,
    private readonly activity: ActivityTracker,
    private readonly log: Logger,
  ) {
    this.subs.push(
      manager.onDidOpenReady((ready, scope) => this.startFor(ready, scope)),
      onDidChangeSettings((c) => {
        if (c.affects('autoHibernate')) this.hibernator?.policy.setOptions(policyOptions());
      }),
    );
  }

  isAutoHibernated(ref: ActivityRef): boolean {
    return this.hibernator?.isAutoHibernated(ref) ?? false;
  }

  /** One IdleHibernator per ready session, closed with it (Retry, a context switch, shutdown). */
  private startFor({ session, model, ops }: ReadySession, scope: DisposableStore): void {
    const hibernator = new IdleHibernator(
      {
        context: session.context,
        ops,
        activity: this.activity,
        clock: systemClock,
        log: this.log,
        hibernateTimeoutMs: () => readSettings().hibernateTimeoutSeconds * 1000,
        ui: {
          warn: (ref, info, keep) => this.warn(ref, info, keep),
          withdraw: () => undefined, // a shown notification cannot be taken back; the log says why
          hibernated: (ref, idleMs) => this.hibernated(ref, idleMs),
          failed: (ref, err) => void vscode.window.showWarningMessage(`Auto-hibernate: ${ref.sandbox}: ${describeError(err)}`),
          changed: (ref) => this.emitter.fire(ref),
        },
      },
      policyOptions(),
    );
    this.hibernator = hibernator;
    scope.add({
      dispose: () => {
        hibernator.dispose();
        if (this.hibernator === hibernator) this.hibernator = undefined;
      },
    });
    // The model tells the policy when a used sandbox stops or runs again (no reads of our own).
    scope.add(
      model.onDidChange((change) => {
        for (const ref of this.activity.used(session.context)) {
          const sb = model.get('Sandbox', ref.namespace, ref.sandbox);
          if (sb) hibernator.observe(sb);
          // Gone from a synced list: deleted. Forgetting it drops its warning and any later read.
          else if (change.membership?.has(changeKey('Sandbox', ref.namespace)) && model.status('Sandbox', ref.namespace).state === 'synced')
            this.activity.forget(ref);
        }
      }),
    );
  }

  private warn(ref: ActivityRef, info: { idleMs: number; inMs: number }, keep: () => boolean): void {
    const secs = Math.round(info.inMs / 1000);
    void vscode.window
      .showWarningMessage(
        `Sandbox ${ref.sandbox} has been idle for ${formatDuration(info.idleMs)}. Hibernating in ${secs} s — its files stay on its volume.`,
        'Keep running',
      )
      .then(async (choice) => {
        if (choice !== 'Keep running') return;
        // Clicked after the countdown ran out: say so rather than pretend it kept running.
        if (this.isAutoHibernated(ref)) {
          if ((await vscode.window.showInformationMessage(`${ref.sandbox} was already hibernated.`, 'Resume')) === 'Resume') await this.resume(ref);
        } else if (!keep()) void vscode.window.showInformationMessage(`${ref.sandbox} is already hibernating; resume it once it has stopped.`);
      });
  }

  private hibernated(ref: ActivityRef, idleMs: number): void {
    this.emitter.fire(ref);
    void vscode.window
      .showInformationMessage(
        `Hibernated ${ref.sandbox} after ${formatDuration(idleMs)} idle (auto-hibernate). Its files are kept; resume it any time.`,
        'Resume',
      )
      .then((choice) => {
        if (choice === 'Resume') void this.resume(ref);
      });
  }

  private async resume(ref: ActivityRef): Promise<void> {
    const session = this.manager.session;
    const st = session?.state;
    if (!session || session.context !== ref.context || st?.kind !== 'ready') {
      void vscode.window.showWarningMessage(`${ref.sandbox} belongs to context ${ref.context}, which is no longer active.`);
      return;
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Resuming ${ref.sandbox}`, cancellable: true },
        async (_p, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          await st.ops.setSuspended(ref.namespace, ref.sandbox, false);
          await st.ops.waitReady(ref.namespace, ref.sandbox, { timeoutMs: readSettings().readyTimeoutSeconds * 1000, signal: abort.signal });
        },
      );
      this.hibernator?.policy.sandboxChanged(ref, true); // running again: idle time starts over
    } catch (err) {
      this.log.error(`resume ${ref.namespace}/${ref.sandbox}: ${describeError(err)}`);
      void vscode.window.showErrorMessage(`Resume ${ref.sandbox} failed: ${describeError(err)}`);
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
