// TerminalFlow performs what the reconnect reducer decides: jittered waits on the injected clock,
// give-up for what retrying cannot help (RBAC, a protocol close), a network still down while
// reading the sandbox retried, and a pending reattach cancelled by hibernate, Ctrl+C and close.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upgradeError } from '../../../../src/core/exec/execSession';
import type { HelperPlace } from '../../../../src/core/exec/session/helperInstall';
import type { PersistentShell, PersistentShellHandlers } from '../../../../src/core/exec/session/persistentShell';
import type { ShellEnding } from '../../../../src/core/exec/shell';
import type { KubeClient } from '../../../../src/core/k8s/client';
import type { Clock } from '../../../../src/core/k8s/clock';
import { errorFromNetwork } from '../../../../src/core/k8s/errors';
import { silentLogger } from '../../../../src/core/logging/logger';
import type { KubeObject } from '../../../../src/core/model/objects';
import { TerminalFlow } from '../../../../src/core/terminal/terminalFlow';

const sandbox = (suspended = false): KubeObject => ({
  metadata: { name: 'sb', namespace: 'demo', annotations: { 'agents.x-k8s.io/pod-name': 'sb' } },
  spec: { operatingMode: suspended ? 'Suspended' : 'Running' },
  status: { conditions: [{ type: 'Ready', status: suspended ? 'False' : 'True' }] },
});
const PLACE: HelperPlace = { bin: '/h/as-session', sessionsDir: '/h/sessions' };

/** Awaits a condition the flow reaches through promise chains (no timers involved). */
async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), `never: ${what}`);
}

function harness(random = 0.5) {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { fn: () => void; ms: number }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(nextId, { fn, ms });
      return nextId++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  let screen = '';
  const ends: ((e: ShellEnding) => void)[] = [];
  /** What the next opens do: undefined attaches, an error is thrown. */
  const refusals: (Error | undefined)[] = [];
  const sandboxErrors: Error[] = [];
  let watcher: ((sb: KubeObject | undefined) => void) | undefined;
  const flow = new TerminalFlow(
    { context: 'ctx', namespace: 'demo', sandbox: 'sb' },
    {
      client: {} as KubeClient,
      getSandbox: async () => {
        const err = sandboxErrors.shift();
        if (err) throw err;
        return sandbox();
      },
      resume: async () => undefined,
      waitReady: async () => sandbox(),
      watch: (cb) => {
        watcher = cb;
        return { dispose: () => (watcher = undefined) };
      },
      askResume: async () => false,
      sessions: {
        prepare: async () => PLACE,
        kill: async () => undefined,
        remember: () => undefined,
        userClosing: () => true,
        newId: () => 'id1',
        closeGraceMs: 0,
        clock,
        random: () => random,
        openPersistent: async (_c, _o, handlers: PersistentShellHandlers) => {
          const refusal = refusals.shift();
          if (refusal) throw refusal;
          ends.push((r) => handlers.end(r));
          const fake = { protocol: 'v5.channel.k8s.io', isOpen: true, offset: 0, bumped: false, write() {}, resize() {}, close() {}, terminate() {} };
          return fake as unknown as PersistentShell;
        },
      },
      log: silentLogger,
    },
    { write: (t) => (screen += t), close: () => undefined },
  );
  return {
    flow,
    timers,
    ends,
    refusals,
    sandboxErrors,
    screen: () => screen,
    pending: () => [...timers.values()].map((t) => t.ms),
    /** Lets the one pending timer fire, as time passing would. */
    fire: () => {
      const [[id, t]] = [...timers];
      timers.delete(id);
      now += t.ms;
      t.fn();
    },
    advance: (ms: number) => (now += ms),
    watch: (sb: KubeObject) => watcher?.(sb),
  };
}

const refused = () => errorFromNetwork(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'https://k');
const opened = async (h: ReturnType<typeof harness>, n: number) => until(`${n} shells attached`, () => h.ends.length === n && h.flow.state === 'open');

describe('terminal reattach (TerminalFlow driving the reconnect reducer)', () => {
  it('waits with exponential, jittered delays on the injected clock, and attaches again', async () => {
    const h = harness(0.5);
    h.flow.start();
    await opened(h, 1);
    h.ends[0]({ kind: 'lost', message: 'no answer from the API server for 20 s', closeCode: 1006 });
    await until('a reattach is scheduled', () => h.timers.size === 1);
    assert.deepEqual(h.pending(), [1000]);
    assert.match(h.screen(), /Connection lost \(no answer from the API server for 20 s\); reattaching…/);
    h.refusals.push(refused(), refused());
    for (const next of [1500, 2500]) {
      h.fire();
      await until(`the next wait (${next} ms)`, () => h.timers.size === 1);
      assert.deepEqual(h.pending(), [next]);
    }
    h.fire();
    await opened(h, 2);
  });

  it('a reattach refused by RBAC (HTTP 403) gives up at once and says why; Enter tries again', async () => {
    const h = harness();
    h.flow.start();
    await opened(h, 1);
    h.ends[0]({ kind: 'lost', message: 'cut', closeCode: 1006 });
    await until('scheduled', () => h.timers.size === 1);
    h.refusals.push(upgradeError(403, '{"message":"cannot create pods/exec"}', { namespace: 'demo', pod: 'sb' }));
    h.fire();
    await until('ended', () => h.flow.state === 'ended');
    assert.equal(h.timers.size, 0);
    assert.match(h.screen(), /No permission to exec into demo\/sb \(pods\/exec is forbidden\)/);
    assert.match(h.screen(), /press Enter to reattach/);
    h.flow.input('\r');
    await opened(h, 2);
  });

  it('a close that retrying cannot help (1008 policy violation) is not reattached', async () => {
    const h = harness();
    h.flow.start();
    await opened(h, 1);
    h.ends[0]({ kind: 'lost', message: 'connection closed without an exit status (code 1008, policy)', closeCode: 1008 });
    await until('ended', () => h.flow.state === 'ended');
    assert.equal(h.timers.size, 0);
    assert.match(h.screen(), /Connection lost: connection closed without an exit status \(code 1008, policy\)/);
  });

  it('a network still down when the reattach reads the sandbox is retried, not the end', async () => {
    const h = harness();
    h.flow.start();
    await opened(h, 1);
    h.sandboxErrors.push(new Error('not yet')); // the explanation read after the loss fails too: no explanation
    h.ends[0]({ kind: 'lost', message: 'cut', closeCode: 1006 });
    await until('scheduled', () => h.timers.size === 1);
    h.sandboxErrors.push(refused());
    h.fire();
    await until('scheduled again', () => h.timers.size === 1 && h.flow.state === 'connecting');
    assert.match(h.screen(), /Connection lost \(Cannot reach the cluster at https:\/\/k \(ECONNREFUSED\)\); reattaching…/);
    h.fire();
    await opened(h, 2);
  });

  for (const [what, act] of [
    ['the sandbox being hibernated', (h: ReturnType<typeof harness>) => h.watch(sandbox(true))],
    ['Ctrl+C', (h: ReturnType<typeof harness>) => h.flow.input('\x03')],
    ['closing the terminal', (h: ReturnType<typeof harness>) => h.flow.dispose()],
  ] as const) {
    it(`${what} cancels a pending reattach`, async () => {
      const h = harness();
      h.flow.start();
      await opened(h, 1);
      h.ends[0]({ kind: 'lost', message: 'cut', closeCode: 1006 });
      await until('scheduled', () => h.timers.size === 1);
      act(h);
      assert.equal(h.timers.size, 0);
      assert.notEqual(h.flow.state, 'connecting');
    });
  }

  it('a connection that stayed up a while earns a fresh count of reattaches', async () => {
    const h = harness(0);
    h.flow.start();
    await opened(h, 1);
    h.ends[0]({ kind: 'lost', message: 'cut', closeCode: 1006 });
    await until('scheduled', () => h.timers.size === 1);
    h.refusals.push(refused(), refused(), refused());
    for (let i = 0; i < 3; i++) {
      h.fire();
      await until('scheduled', () => h.timers.size === 1);
    }
    h.fire();
    await opened(h, 2);
    h.advance(60_000);
    h.ends[1]({ kind: 'lost', message: 'cut again', closeCode: 1006 });
    await until('scheduled', () => h.timers.size === 1);
    h.refusals.push(refused(), refused(), refused(), refused());
    for (let i = 0; i < 4; i++) {
      h.fire();
      await until(`still reattaching after ${i + 1} refusals`, () => h.timers.size === 1);
    }
    h.refusals.push(refused());
    h.fire();
    await until('the fifth refusal waits for Enter', () => h.flow.state === 'ended');
  });
});
