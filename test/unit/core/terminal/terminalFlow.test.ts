import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShellEnding } from '../../../../src/core/exec/shell';
import type { ShellSession, ShellSessionHandlers, ShellSessionOptions } from '../../../../src/core/exec/shellSession';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { KubeError } from '../../../../src/core/k8s/errors';
import { silentLogger } from '../../../../src/core/logging/logger';
import type { KubeObject } from '../../../../src/core/model/objects';
import { ActivityTracker } from '../../../../src/core/finops/activity';
import { decideContainer } from '../../../../src/core/terminal/containerChoice';
import { TerminalDeps, TerminalFlow } from '../../../../src/core/terminal/terminalFlow';

const cond = (type: string, status: string, reason?: string) => ({ type, status, reason });
const running = (): KubeObject => ({
  metadata: { name: 'sb', namespace: 'demo' },
  spec: { operatingMode: 'Running' },
  status: { conditions: [cond('Ready', 'True')] },
});
const hibernated = (): KubeObject => ({
  metadata: { name: 'sb', namespace: 'demo' },
  spec: { operatingMode: 'Suspended' },
  status: { conditions: [cond('Ready', 'False', 'SandboxSuspended'), cond('Suspended', 'True')] },
});
const starting = (): KubeObject => ({
  metadata: { name: 'sb', namespace: 'demo' },
  spec: { operatingMode: 'Running' },
  status: { conditions: [cond('Ready', 'False', 'DependenciesNotReady')] },
});

/** A scripted cluster + UI around one TerminalFlow; every call is recorded. */
function harness(initial: KubeObject, answerResume = false, activity?: TerminalDeps['activity']) {
  let sandbox: KubeObject | Error = initial;
  const calls: string[] = [];
  const shells: { options: ShellSessionOptions; handlers: ShellSessionHandlers; written: string[]; sizes: [number, number][]; closed: boolean }[] = [];
  let screen = '';
  let closed = false;
  let watcher: ((sb: KubeObject | undefined) => void) | undefined;
  let readyResolve: ((o: KubeObject) => void) | undefined;
  let shellOpened: (() => void) | undefined;
  const deps: TerminalDeps = {
    client: {} as KubeClient,
    getSandbox: async () => {
      calls.push('get');
      if (sandbox instanceof Error) throw sandbox;
      return sandbox;
    },
    resume: async () => {
      calls.push('resume');
      sandbox = starting();
    },
    waitReady: (signal) => {
      calls.push('waitReady');
      return new Promise((resolve, reject) => {
        readyResolve = resolve;
        signal.addEventListener('abort', () => reject(new KubeError('Cancelled', undefined, 'Cancelled', 'cancelled')));
      });
    },
    watch: (cb) => {
      watcher = cb;
      return { dispose: () => (watcher = undefined) };
    },
    askResume: async () => {
      calls.push('askResume');
      return answerResume;
    },
    openShell: async (_client, options, handlers) => {
      const s = { options, handlers, written: [] as string[], sizes: [] as [number, number][], closed: false };
      shells.push(s);
      const fake = {
        protocol: 'v5.channel.k8s.io',
        write: (d: string) => s.written.push(d),
        resize: (c: number, r: number) => s.sizes.push([c, r]),
        close: () => {
          if (s.closed) return;
          s.closed = true;
          setImmediate(() => handlers.end({ kind: 'closed' }));
        },
      };
      setImmediate(() => shellOpened?.());
      return fake as unknown as ShellSession;
    },
    log: silentLogger,
    ...(activity ? { activity } : {}),
  };
  const nextShell = () => new Promise<void>((r) => (shellOpened = r));
  const flow = new TerminalFlow({ context: 'ctx', namespace: 'demo', sandbox: 'sb', container: 'main' }, deps, {
    write: (t) => (screen += t),
    close: () => (closed = true),
  });
  return {
    flow,
    calls,
    shells,
    screen: () => screen,
    closed: () => closed,
    setSandbox: (o: KubeObject | Error) => (sandbox = o),
    watch: (o: KubeObject | undefined) => watcher?.(o),
    ready: (o: KubeObject) => readyResolve?.(o),
    /** Does `act` and waits until the shell it opens was taken by the flow. */
    opens: async (act: () => void) => {
      const opened = nextShell();
      act();
      await opened;
    },
    end: (e: ShellEnding) => shells.at(-1)!.handlers.end(e),
  };
}

/** Lets queued promise continuations and immediates run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('terminal flow', () => {
  it('opens a shell on the pod of a running sandbox with the terminal size, forwards keys and resizes', async () => {
    const h = harness(running());
    await h.opens(() => h.flow.start({ cols: 120, rows: 40 }));
    assert.equal(h.flow.state, 'open');
    const { signal, ...options } = h.shells[0].options;
    assert.ok(signal instanceof AbortSignal);
    assert.deepEqual(options, { namespace: 'demo', pod: 'sb', container: 'main', shell: undefined, size: { cols: 120, rows: 40 } });
    h.flow.input('ls\r');
    h.flow.resize(100, 30);
    assert.deepEqual(h.shells[0].written, ['ls\r']);
    assert.deepEqual(h.shells[0].sizes, [[100, 30]]);
  });

  it('an open shell keeps the sandbox awake, however silent (a hold), until it ends or the terminal closes', async () => {
    const activity = new ActivityTracker();
    const ref = { context: 'ctx', namespace: 'demo', sandbox: 'sb' };
    const h = harness(running(), false, activity);
    await h.opens(() => h.flow.start());
    assert.ok(activity.isHeld(ref), 'held while open');
    h.end({ kind: 'exited', code: 0 });
    await settle();
    assert.ok(!activity.isHeld(ref), 'released when the shell ended');
    await h.opens(() => h.flow.input('\r'));
    assert.ok(activity.isHeld(ref));
    h.flow.dispose();
    assert.ok(!activity.isHeld(ref), 'released when the terminal closed');
  });

  it('shows the exit code and opens a new shell on Enter', async () => {
    const h = harness(running());
    await h.opens(() => h.flow.start());
    h.end({ kind: 'exited', code: 3 });
    await settle();
    assert.match(h.screen(), /Process exited with code 3/);
    assert.match(h.screen(), /Press Enter to open a new shell/);
    assert.equal(h.flow.state, 'ended');
    await h.opens(() => h.flow.input('\r'));
    assert.equal(h.shells.length, 2);
    assert.equal(h.flow.state, 'open');
  });

  it('a lost connection is reported as lost, not as an exit', async () => {
    const h = harness(running());
    await h.opens(() => h.flow.start());
    h.end({ kind: 'lost', message: 'connection closed without an exit status (code 1006)' });
    await settle();
    await settle();
    assert.match(h.screen(), /Connection lost: connection closed without an exit status/);
    assert.doesNotMatch(h.screen(), /exited/);
  });

  it('a hibernated sandbox says so, offers Resume, and never resumes on its own (not even on reconnect)', async () => {
    const h = harness(hibernated(), false);
    h.flow.start();
    await settle();
    await settle();
    assert.match(h.screen(), /This sandbox is hibernated/);
    assert.equal(h.flow.state, 'hibernated');
    h.flow.input('\r'); // re-check
    await settle();
    await settle();
    assert.ok(h.calls.filter((c) => c === 'askResume').length >= 2);
    assert.ok(!h.calls.includes('resume'));
    assert.equal(h.shells.length, 0);
  });

  it('Resume (button) resumes, waits for Ready, then opens the terminal', async () => {
    const h = harness(hibernated(), true);
    h.flow.start();
    await settle();
    await settle();
    assert.deepEqual(h.calls.slice(0, 4), ['get', 'askResume', 'resume', 'waitReady']);
    assert.equal(h.shells.length, 0);
    await h.opens(() => h.ready(running()));
    assert.equal(h.flow.state, 'open');
  });

  it('a sandbox hibernated while the shell is open ends it with a clear message and offers Resume', async () => {
    const h = harness(running(), false);
    await h.opens(() => h.flow.start());
    h.watch(running());
    h.watch(hibernated());
    await settle();
    assert.equal(h.shells[0].closed, true);
    assert.match(h.screen(), /The sandbox was hibernated; the shell ended\./);
    assert.equal(h.flow.state, 'hibernated');
    assert.ok(!h.calls.includes('resume'));
  });

  it('when the live model is silent, a lost shell asks the server and explains a hibernate', async () => {
    const h = harness(running());
    await h.opens(() => h.flow.start());
    h.setSandbox(hibernated());
    h.end({ kind: 'lost', message: 'EOF' });
    await settle();
    await settle();
    assert.match(h.screen(), /The sandbox was hibernated; the shell ended\./);
    assert.doesNotMatch(h.screen(), /Connection lost/);
  });

  it('a deleted sandbox is final; Esc closes the terminal', async () => {
    const h = harness(running());
    h.setSandbox(new KubeError('not found', 404, 'NotFound'));
    h.flow.start();
    await settle();
    await settle();
    assert.match(h.screen(), /no longer exists/);
    h.flow.input('\x1b');
    assert.equal(h.closed(), true);
  });

  it('a starting sandbox is waited for, and Ctrl+C stops waiting without touching the sandbox', async () => {
    const h = harness(starting());
    h.flow.start();
    await settle();
    assert.match(h.screen(), /Waiting for sb to become Ready/);
    h.flow.input('\x03');
    await settle();
    assert.match(h.screen(), /Stopped waiting/);
    assert.ok(!h.calls.includes('resume'));
    assert.equal(h.shells.length, 0);
  });

  it('closing the terminal closes the shell', async () => {
    const h = harness(running());
    await h.opens(() => h.flow.start());
    h.flow.dispose();
    assert.equal(h.shells[0].closed, true);
    assert.equal(h.flow.state, 'disposed');
  });
});

describe('container choice', () => {
  it('a setting naming a container wins', () => assert.deepEqual(decideContainer(['main', 'sidecar'], 'sidecar'), { kind: 'use', container: 'sidecar' }));
  it('one container: the API default (the main one)', () =>
    assert.deepEqual(decideContainer(['python'], undefined), { kind: 'use', container: undefined, note: undefined }));
  it('several containers: ask, main first', () =>
    assert.deepEqual(decideContainer(['main', 'sidecar'], undefined), { kind: 'pick', options: ['main', 'sidecar'], note: undefined }));
  it('a setting naming a missing container: ask, and say why', () => {
    const d = decideContainer(['main', 'sidecar'], 'nope');
    assert.equal(d.kind, 'pick');
    assert.match(d.note ?? '', /"nope".*main, sidecar/);
  });
  it('no containers known: trust the setting', () => assert.deepEqual(decideContainer([], 'x'), { kind: 'use', container: 'x' }));
});
