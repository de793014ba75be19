// Auto-hibernate against the local cluster: a sandbox claimed from the gVisor warm pool is used
// through exec sessions (activity recorded by the tracker, as the terminal records it), goes idle
// past a short threshold, gets its one warning, and is hibernated for real (Suspended=True) by
// the IdleHibernator the extension runs, reading the server only when the threshold passes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExecSession, execCollect } from '../../src/core/exec/execSession';
import type { ExecResult } from '../../src/core/exec/status';
import { ActivityRef, ActivityTracker } from '../../src/core/finops/activity';
import type { WithdrawReason } from '../../src/core/finops/autoHibernatePolicy';
import { DEFAULT_PRICES, sandboxCost } from '../../src/core/finops/cost';
import { IdleHibernator } from '../../src/core/finops/idleHibernator';
import { systemClock } from '../../src/core/k8s/clock';
import type { KubeClient } from '../../src/core/k8s/client';
import type { SandboxOperations } from '../../src/core/k8s/operations';
import { silentLogger } from '../../src/core/logging/logger';
import { condition } from '../../src/core/model/objects';
import { podName, sandboxState } from '../../src/core/model/sandbox';
import { claimReady, ensureCluster, opsFor, uniqueName } from './cluster';
import { within } from '../support/wait';

const CONTEXT = 'agent-sandbox-local';
// Long enough that a slow exec on a loaded machine is not mistaken for idleness, short for a test.
const IDLE_MS = 10_000;
const WARN_MS = 2000;

/** Records what auto-hibernate tells the user, with promises for the moments the test waits for. */
class RecordingUi {
  warnings: { ref: ActivityRef; at: number; idleMs: number }[] = [];
  withdrawn: WithdrawReason[] = [];
  failures: unknown[] = [];
  private resolveHibernated!: (v: { ref: ActivityRef; at: number; idleMs: number }) => void;
  readonly hibernatedOnce = new Promise<{ ref: ActivityRef; at: number; idleMs: number }>((r) => (this.resolveHibernated = r));
  warn(ref: ActivityRef, info: { idleMs: number }): void {
    this.warnings.push({ ref, at: Date.now(), idleMs: info.idleMs });
  }
  withdraw(_ref: ActivityRef, reason: WithdrawReason): void {
    this.withdrawn.push(reason);
  }
  hibernated(ref: ActivityRef, idleMs: number): void {
    this.resolveHibernated({ ref, at: Date.now(), idleMs });
  }
  failed(_ref: ActivityRef, error: unknown): void {
    this.failures.push(error);
  }
}

/** A shell-less exec with stdin, the way a terminal types into the sandbox: every byte is activity. */
async function typeInto(
  client: KubeClient,
  ns: string,
  pod: string,
  tracker: ActivityTracker,
  ref: ActivityRef,
  line: string,
): Promise<{ out: string; result: ExecResult }> {
  let out = '';
  let resolveEnd!: (r: ExecResult) => void;
  const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
  const session = await ExecSession.open(
    client,
    { namespace: ns, pod, command: ['sh', '-c', 'read line; echo "got:$line"'], tty: false, stdin: true, pingMs: 0 },
    {
      stdout: (d) => {
        tracker.touch(ref, 'terminal-output');
        out += d.toString('utf8');
      },
      end: resolveEnd,
    },
  );
  tracker.touch(ref, 'terminal-input');
  session.write(`${line}\n`);
  const result = await within(ended, 30_000, 'the exec to end');
  return { out, result };
}

describe('auto-hibernate against the local cluster', { timeout: 10 * 60_000 }, () => {
  let NS = '';
  let client: KubeClient;
  let ops: SandboxOperations;
  let claim = '';
  let sandbox = '';
  let pod = '';

  before(async () => {
    NS = ensureCluster().demoNamespace;
    ({ client, ops } = await opsFor(CONTEXT));
    claim = uniqueName('finops');
    const sb = await claimReady(ops, NS, claim);
    sandbox = sb.metadata.name;
    pod = podName(sb) ?? '';
    assert.ok(pod, 'the claimed sandbox names its pod');
  });

  after(async () => {
    if (claim) await ops.delete('SandboxClaim', NS, claim).catch(() => undefined);
  });

  it('a sandbox used through exec goes idle past the threshold, is warned about once, and is hibernated for real', async () => {
    const tracker = new ActivityTracker({ clock: systemClock, quietMs: 1000 });
    const ref: ActivityRef = { context: CONTEXT, namespace: NS, sandbox };
    const ui = new RecordingUi();
    const reads: string[] = [];
    const countingOps = {
      find: (...a: Parameters<SandboxOperations['find']>) => (reads.push(a[2]), ops.find(...a)),
      setSuspended: (...a: Parameters<SandboxOperations['setSuspended']>) => ops.setSuspended(...a),
      waitHibernated: (...a: Parameters<SandboxOperations['waitHibernated']>) => ops.waitHibernated(...a),
    };
    const hibernator = new IdleHibernator(
      { context: CONTEXT, ops: countingOps, activity: tracker, clock: systemClock, ui, log: silentLogger, hibernateTimeoutMs: () => 120_000 },
      { enabled: true, idleMs: IDLE_MS, warnMs: WARN_MS },
    );
    try {
      const before = await ops.get('Sandbox', NS, sandbox);
      assert.equal(sandboxState(before), 'Running');
      assert.ok(sandboxCost(before, DEFAULT_PRICES).computeHour > 0, 'the pool template requests CPU and memory, so running costs something');

      // Used: typed into and read from, twice, as a terminal would.
      const first = await typeInto(client, NS, pod, tracker, ref, 'hello');
      assert.deepEqual(first.result, { kind: 'exited', code: 0 });
      assert.match(first.out, /got:hello/);
      tracker.touch(ref, 'terminal-input');
      const { stdout } = await execCollect(client, { namespace: NS, pod, command: ['echo', 'still here'], timeoutMs: 30_000 });
      tracker.touch(ref, 'terminal-output');
      assert.match(stdout.toString('utf8'), /still here/);
      const lastUse = tracker.lastActivity(ref)?.at ?? 0;
      assert.ok(tracker.usedByThisWindow(ref));
      assert.equal(ui.warnings.length, 0, 'no warning while in use');

      const done = await within(ui.hibernatedOnce, 180_000, 'auto-hibernate');
      assert.deepEqual(ui.failures, []);
      assert.equal(ui.warnings.length, 1, 'warned exactly once');
      const [warning] = ui.warnings;
      assert.deepEqual(warning.ref, ref);
      assert.ok(warning.at - lastUse >= IDLE_MS, `warned ${warning.at - lastUse} ms after the last activity, not before the ${IDLE_MS} ms threshold`);
      assert.ok(done.at - warning.at >= WARN_MS, `hibernated ${done.at - warning.at} ms after the warning, not before the ${WARN_MS} ms delay`);
      assert.ok(done.idleMs >= IDLE_MS + WARN_MS);
      assert.ok(hibernator.isAutoHibernated(ref), 'marked as hibernated automatically');
      assert.ok(
        reads.every((name) => name === sandbox),
        `only the used sandbox was read: ${reads.join(', ')}`,
      );
      assert.ok(reads.length <= 2, `read once before warning and once before hibernating, never polled (${reads.length} reads)`);

      const after = await ops.get('Sandbox', NS, sandbox);
      assert.equal(condition(after, 'Suspended')?.status, 'True', 'Suspended=True on the server');
      assert.equal(sandboxState(after), 'Hibernated');
      const hibernatedCost = sandboxCost(after, DEFAULT_PRICES);
      assert.equal(hibernatedCost.computeHour, 0, 'a hibernated sandbox pays no compute');
      assert.ok(hibernatedCost.storageHour > 0, 'but still pays for its volume');
    } finally {
      hibernator.dispose();
    }
  });
});
