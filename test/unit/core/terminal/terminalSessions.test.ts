// The persistent-session layer of a terminal (SessionLink inside TerminalFlow) against scripted
// holders: the once-only "cannot persist" note, reattach after a loss with the byte offset, the
// messages for reattached / ended sessions, reload ids, and Terminate on close (not on reload).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HelperPlace } from '../../../../src/core/exec/session/helperInstall';
import type { SessionEvent } from '../../../../src/core/exec/session/marker';
import type { PersistentShell, PersistentShellHandlers, PersistentShellOptions } from '../../../../src/core/exec/session/persistentShell';
import type { ShellEnding } from '../../../../src/core/exec/shell';
import type { ShellSession } from '../../../../src/core/exec/shellSession';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { silentLogger } from '../../../../src/core/logging/logger';
import type { KubeObject } from '../../../../src/core/model/objects';
import type { TerminalSessions } from '../../../../src/core/terminal/sessionLink';
import { TerminalFlow, TerminalTarget } from '../../../../src/core/terminal/terminalFlow';

const running = (pod = 'sb'): KubeObject => ({
  metadata: { name: 'sb', namespace: 'demo', annotations: { 'agents.x-k8s.io/pod-name': pod } },
  spec: { operatingMode: 'Running' },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
const PLACE: HelperPlace = { bin: '/h/.cache/agent-sandbox/bin/x/as-session', sessionsDir: '/h/.cache/agent-sandbox/sessions' };
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function harness(o: { unavailable?: string; sessionId?: string; userClosing?: boolean } = {}) {
  let screen = '';
  const attaches: { options: PersistentShellOptions; handlers: PersistentShellHandlers; fake: { offset: number; bumped: boolean } }[] = [];
  const plain: string[] = [];
  const plainEnds: ((e: ShellEnding) => void)[] = [];
  const kills: string[] = [];
  const remembered: (string | undefined)[] = [];
  // Opens are counted, not just signalled: under load a 1 ms reattach timer can fire before the
  // test asks for the next open, and a single resolver slot would then lose that open.
  let unclaimedOpens = 0;
  let waiting: (() => void) | undefined;
  const opened = () => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w();
    } else unclaimedOpens++;
  };
  let failNext = 0;
  const sessions: TerminalSessions = {
    prepare: async () => (o.unavailable ? { unavailable: o.unavailable } : PLACE),
    kill: async (_pod, _c, _place, id) => void kills.push(id),
    remember: (id) => void remembered.push(id),
    userClosing: () => o.userClosing ?? true,
    newId: () => `id${attaches.length + 1}`,
    reattachDelayMs: 1,
    closeGraceMs: 0,
    openPersistent: async (_c, options, handlers) => {
      if (failNext > 0) {
        failNext--;
        setImmediate(opened);
        throw new Error('connect ECONNREFUSED');
      }
      const fake = {
        offset: options.since,
        bumped: false,
        protocol: 'v5.channel.k8s.io',
        isOpen: true,
        write: () => undefined,
        resize: () => undefined,
        close: () => undefined,
        terminate: () => undefined,
      };
      attaches.push({ options, handlers, fake });
      setImmediate(opened);
      return fake as unknown as PersistentShell;
    },
  };
  const target: TerminalTarget = {
    context: 'ctx',
    namespace: 'demo',
    sandbox: 'sb',
    container: 'main',
    ...(o.sessionId === undefined ? {} : { sessionId: o.sessionId }),
  };
  const flow = new TerminalFlow(
    target,
    {
      client: {} as KubeClient,
      getSandbox: async () => running(),
      resume: async () => undefined,
      waitReady: async () => running(),
      watch: () => ({ dispose: () => undefined }),
      askResume: async () => false,
      openShell: async (_c, options, handlers) => {
        plain.push(options.pod);
        plainEnds.push((e) => handlers.end(e));
        setImmediate(opened);
        return { protocol: 'v4', close: () => undefined } as unknown as ShellSession;
      },
      sessions,
      log: silentLogger,
    },
    { write: (t) => (screen += t), close: () => undefined },
  );
  const last = () => attaches.at(-1)!;
  const next = () =>
    new Promise<void>((r) => {
      if (unclaimedOpens > 0) {
        unclaimedOpens--;
        r();
      } else waiting = r;
    });
  return {
    flow,
    attaches,
    plain,
    plainEnds,
    kills,
    remembered,
    screen: () => screen,
    /** Does `act` and waits for the shell open it causes. */
    opens: async (act: () => void) => {
      const n = next();
      act();
      await n;
    },
    failNext: (n: number) => (failNext = n),
    event: (e: SessionEvent) => last().handlers.event(e),
    output: (text: string, bytes = Buffer.byteLength(text)) => {
      last().fake.offset += bytes;
      last().handlers.output(text);
    },
    end: (e: ShellEnding) => last().handlers.end(e),
  };
}

const attached = (isNew: boolean, ageMs = 0, lost = 0): SessionEvent => ({
  event: 'attached',
  new: isNew,
  started: 1_000_000 - ageMs,
  now: 1_000_000,
  from: 0,
  lost,
});

describe('terminal sessions (SessionLink in TerminalFlow)', () => {
  it('where sessions cannot persist, says so once and opens plain shells', async () => {
    const h = harness({ unavailable: 'the container has no sha256sum to verify the session helper' });
    await h.opens(() => h.flow.start());
    assert.deepEqual(h.plain, ['sb']);
    assert.equal(h.attaches.length, 0);
    // The plain shell ends as before; Enter opens a new plain one, without the note again.
    h.plainEnds[0]({ kind: 'exited', code: 0 });
    await settle();
    await h.opens(() => h.flow.input('\r'));
    assert.deepEqual(h.plain, ['sb', 'sb']);
    assert.equal(h.screen().match(/Sessions cannot persist in this sandbox \(the container has no sha256sum/g)?.length, 1);
  });

  it('a lost connection reattaches to the same session from the byte offset shown, and says how old it is', async () => {
    const h = harness();
    await h.opens(() => h.flow.start({ cols: 90, rows: 20 }));
    assert.deepEqual([h.attaches[0].options.id, h.attaches[0].options.since, h.attaches[0].options.place], ['id1', 0, PLACE]);
    h.event(attached(true));
    assert.doesNotMatch(h.screen(), /Reattached|earlier session/, 'a new session needs no message');
    assert.deepEqual(h.remembered, ['id1']);
    h.output('tick1\r\n');
    await h.opens(() => h.end({ kind: 'lost', message: 'no answer from the API server for 90 s' }));
    assert.match(h.screen(), /Connection lost \(no answer from the API server for 90 s\); reattaching…/);
    assert.deepEqual([h.attaches[1].options.id, h.attaches[1].options.since], ['id1', 7]);
    h.event(attached(false, 3 * 60_000 + 5_000));
    assert.match(h.screen(), /Reattached \(session 3 min old\)/);
    assert.equal(h.flow.state, 'open');
  });

  it('reports output the scrollback no longer held', async () => {
    const h = harness({ sessionId: 'old1' });
    await h.opens(() => h.flow.start());
    h.event(attached(false, 10_000, 300 * 1024));
    assert.match(h.screen(), /Reattached \(session 10 s old; 300 KiB of output while away was not kept\)/);
  });

  it('after a reload: reattaches to the remembered id, or says the session had ended', async () => {
    const h = harness({ sessionId: 'abc' });
    await h.opens(() => h.flow.start());
    assert.equal(h.attaches[0].options.id, 'abc');
    h.event(attached(true));
    assert.match(h.screen(), /The earlier session ended before the reload; this is a new shell\./);
  });

  it('keeps retrying a refused reattach, then waits for Enter to reattach', async () => {
    const h = harness();
    await h.opens(() => h.flow.start());
    h.event(attached(true));
    h.failNext(5);
    for (let i = 0; i < 5; i++) {
      await h.opens(() => {
        if (i === 0) h.end({ kind: 'lost', message: 'cut' });
      });
      await settle();
    }
    await settle();
    assert.equal(h.flow.state, 'ended');
    assert.match(h.screen(), /press Enter to reattach/);
    await h.opens(() => h.flow.input('\r'));
    assert.equal(h.attaches.at(-1)!.options.id, 'id1');
  });

  it('an exited shell ends the session: forgotten, and Enter starts a new one', async () => {
    const h = harness();
    await h.opens(() => h.flow.start());
    h.event(attached(true));
    h.end({ kind: 'exited', code: 0 });
    await settle();
    assert.deepEqual(h.remembered, ['id1', undefined]);
    assert.match(h.screen(), /Press Enter to open a new shell/);
    await h.opens(() => h.flow.input('\r'));
    assert.equal(h.attaches.at(-1)!.options.id, 'id2');
    assert.equal(h.attaches.at(-1)!.options.since, 0);
  });

  it('another terminal attaching is said, not reported as a loss', async () => {
    const h = harness();
    await h.opens(() => h.flow.start());
    h.attaches[0].fake.bumped = true;
    h.end({ kind: 'closed' });
    await settle();
    assert.match(h.screen(), /This session was attached from another terminal\./);
    assert.equal(h.flow.state, 'ended');
  });

  it('closing the terminal terminates its session; a reload (window shutting down) keeps it', async () => {
    for (const userClosing of [true, false]) {
      const h = harness({ userClosing });
      await h.opens(() => h.flow.start());
      h.event(attached(true));
      h.flow.dispose();
      assert.deepEqual(h.kills, userClosing ? ['id1'] : []);
      assert.deepEqual(h.remembered, userClosing ? ['id1', undefined] : ['id1']);
    }
  });
});
