import type { Clock } from '../k8s/clock';
import { KubeError } from '../k8s/errors';
import type { SandboxOperations } from '../k8s/operations';
import type { Logger } from '../logging/logger';
import { condition, KubeObject } from '../model/objects';
import { sandboxState } from '../model/sandbox';
import { ActivityRef, ActivityTracker } from './activity';
import { AutoHibernatePolicy, Inspection, PolicyOptions, WithdrawReason } from './autoHibernatePolicy';

/** What the user sees; the extension shows notifications, tests record calls. */
export interface HibernatorUi {
  /** "idle for 30 min — hibernating in 60 s" with Keep running; call keep() when chosen (false: too late, the patch was sent). */
  warn(ref: ActivityRef, info: { idleMs: number; inMs: number }, keep: () => boolean): void;
  withdraw(ref: ActivityRef, reason: WithdrawReason): void;
  hibernated(ref: ActivityRef, idleMs: number): void;
  failed(ref: ActivityRef, error: unknown): void;
  /** The auto-hibernated marker of this sandbox may have changed. */
  changed?(ref: ActivityRef): void;
}

export interface HibernatorDeps {
  context: string;
  ops: Pick<SandboxOperations, 'find' | 'setSuspended' | 'waitHibernated'>;
  activity: ActivityTracker;
  clock: Clock;
  ui: HibernatorUi;
  log: Logger;
  /** Read when hibernating (the setting may change meanwhile). */
  hibernateTimeoutMs: () => number;
}

/** When the sandbox last became Ready, from its condition (it never counts as idle from before a resume). */
export function readySince(sb: KubeObject): number | undefined {
  const t = Date.parse(condition(sb, 'Ready')?.lastTransitionTime ?? '');
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Auto-hibernate for one context: the policy, fed by this window's activity, acting through the
 * cluster operations. Reads the server only when a sandbox crosses the threshold (once before
 * warning, once before hibernating) and otherwise waits on timers and events: it never polls.
 */
export class IdleHibernator {
  readonly policy: AutoHibernatePolicy;
  private readonly sub: { dispose(): void };

  constructor(
    private readonly deps: HibernatorDeps,
    options: PolicyOptions,
  ) {
    const { context, activity } = deps;
    this.policy = new AutoHibernatePolicy(
      { used: () => activity.used(context), lastActivity: (ref) => activity.lastActivity(ref)?.at, busy: (ref) => activity.isHeld(ref) },
      {
        inspect: (ref) => this.inspect(ref),
        warn: (ref, info) => {
          deps.log.info(
            `auto-hibernate: ${where(ref)} idle for ${Math.round(info.idleMs / 1000)} s; hibernating in ${Math.round(info.inMs / 1000)} s unless used`,
          );
          deps.ui.warn(ref, info, () => this.policy.keepRunning(ref));
        },
        withdraw: (ref, reason) => {
          deps.log.info(`auto-hibernate: ${where(ref)} stays running (${reason})`);
          deps.ui.withdraw(ref, reason);
        },
        hibernate: (ref, send) => this.hibernate(ref, send),
        hibernated: (ref, idleMs) => {
          deps.log.info(`auto-hibernate: hibernated ${where(ref)} after ${Math.round(idleMs / 1000)} s idle`);
          deps.ui.hibernated(ref, idleMs);
        },
        failed: (ref, err) => {
          deps.log.warn(`auto-hibernate: ${where(ref)}: ${err instanceof Error ? err.message : String(err)}`);
          deps.ui.failed(ref, err);
        },
        changed: (ref) => deps.ui.changed?.(ref),
      },
      deps.clock,
      options,
    );
    // Only a sandbox that was quiet reports activity, so this re-evaluates rarely (not per byte).
    this.sub = activity.onDidChange((ref) => {
      if (ref.context === context) this.policy.evaluate();
    });
    this.policy.evaluate();
  }

  /** Feeds a sandbox seen by the live model (running or stopped); other states are in between and ignored. */
  observe(sb: KubeObject): void {
    const ref = { context: this.deps.context, namespace: sb.metadata.namespace ?? '', sandbox: sb.metadata.name };
    if (this.deps.activity.isReplaced(ref, sb.metadata.uid)) return this.deps.activity.forget(ref);
    if (!this.deps.activity.usedByThisWindow(ref)) return;
    const state = sandboxState(sb);
    if (state === 'Running') this.policy.sandboxChanged(ref, true);
    else if (state !== 'Starting') this.policy.sandboxChanged(ref, false);
  }

  isAutoHibernated(ref: ActivityRef): boolean {
    return ref.context === this.deps.context && this.policy.isAutoHibernated(ref);
  }

  private async inspect(ref: ActivityRef): Promise<Inspection> {
    const sb = await this.read(ref);
    return sb ? { running: sandboxState(sb) === 'Running', runningSince: readySince(sb) } : { running: false };
  }

  /**
   * The sandbox this window used, or undefined: gone, or deleted and recreated under its name
   * (another sandbox, which this window never used: its record is dropped).
   */
  private async read(ref: ActivityRef): Promise<KubeObject | undefined> {
    const sb = await this.deps.ops.find('Sandbox', ref.namespace, ref.sandbox);
    if (!sb) return undefined;
    const known = this.deps.activity.lastActivity(ref)?.uid;
    if (known && sb.metadata.uid && known !== sb.metadata.uid) {
      this.deps.log.info(`auto-hibernate: ${where(ref)} was recreated (uid ${sb.metadata.uid}, used here as ${known}); not this window's to hibernate`);
      this.deps.activity.forget(ref);
      return undefined;
    }
    return sb;
  }

  /**
   * Re-reads first (a minute passed since the warning), asks the policy once more (Keep running,
   * activity), then suspends only that very object (its UID and resourceVersion as the patch's
   * precondition) and waits for Suspended=True.
   */
  private async hibernate(ref: ActivityRef, send: () => boolean): Promise<boolean> {
    const { ops, hibernateTimeoutMs } = this.deps;
    const sb = await this.read(ref);
    if (!sb || sandboxState(sb) !== 'Running') return false;
    if (!send()) return false;
    try {
      await ops.setSuspended(ref.namespace, ref.sandbox, true, { uid: sb.metadata.uid, resourceVersion: sb.metadata.resourceVersion });
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) return false;
      if (err instanceof KubeError && err.isConflict)
        throw new KubeError(`it changed on the server just before hibernating (resumed, edited or replaced), so it was left running`, 409, 'Conflict');
      throw err;
    }
    await ops.waitHibernated(ref.namespace, ref.sandbox, { timeoutMs: hibernateTimeoutMs() });
    return true;
  }

  dispose(): void {
    this.sub.dispose();
    this.policy.dispose();
  }
}

function where(ref: ActivityRef): string {
  return `${ref.context}/${ref.namespace}/${ref.sandbox}`;
}
