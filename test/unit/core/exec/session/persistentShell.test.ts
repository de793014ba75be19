// PersistentShell against a fake exec endpoint standing in for `as-session attach`: the holder's
// markers, and how each way the attach ends reads as the terminal's ending.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SessionEvent } from '../../../../../src/core/exec/session/marker';
import { PersistentShell } from '../../../../../src/core/exec/session/persistentShell';
import { DEFAULT_SHELLS, NO_SHELL_MARKER, ShellEnding } from '../../../../../src/core/exec/shell';
import { FakeConn, FakeExecServer } from '../../../support/fakeExecServer';

const PLACE = { bin: '/h/as-session', sessionsDir: '/h/sessions' };
const marker = (o: object) => `\x1b]5379;as-session;${JSON.stringify(o)}\x07`;
const ATTACHED = marker({ event: 'attached', new: true, started: 1, now: 2, from: 0 });

describe('PersistentShell against a fake attach', () => {
  const servers: FakeExecServer[] = [];
  after(async () => Promise.all(servers.map((s) => s.close())));

  async function attach(script: (c: FakeConn) => void) {
    const server = (await FakeExecServer.start()).handle(script);
    servers.push(server);
    let text = '';
    const events: SessionEvent[] = [];
    let resolveEnd!: (e: ShellEnding) => void;
    const ended = new Promise<ShellEnding>((r) => (resolveEnd = r));
    const shell = await PersistentShell.open(
      server.client(),
      { namespace: 'demo', pod: 'sb', size: { cols: 80, rows: 24 }, place: PLACE, id: 's1', since: 0 },
      { output: (t) => (text += t), end: resolveEnd, event: (e) => events.push(e) },
    );
    return { server, shell, ended, events, text: () => text };
  }

  it('runs the attach, passes output without the markers, and an exit is the shell exiting', async () => {
    const a = await attach((c) => {
      c.send(1, `${ATTACHED}$ hello`);
      c.exit(3);
    });
    assert.deepEqual(await a.ended, { kind: 'exited', code: 3 });
    assert.equal(a.text(), '$ hello');
    assert.deepEqual(
      a.events.map((e) => e.event),
      ['attached'],
    );
    assert.equal(a.shell.offset, '$ hello'.length);
    assert.deepEqual(a.server.connections[0].command.slice(0, 6), ['/h/as-session', 'attach', '/h/sessions', 's1', '0', '--']);
  });

  it("exit 127 after the probe's marker is no shell", async () => {
    const a = await attach((c) => {
      c.send(1, `${ATTACHED}${NO_SHELL_MARKER} (tried: bash ash sh)\r\n`);
      c.exit(127);
    });
    assert.deepEqual(await a.ended, { kind: 'no-shell', tried: [...DEFAULT_SHELLS] });
  });

  it("the helper's error marker makes the ending a failure that names the helper", async () => {
    const a = await attach((c) => {
      c.send(1, marker({ event: 'error', message: 'no such session' }));
      c.exit(1);
    });
    assert.deepEqual(await a.ended, { kind: 'failed', message: 'the session helper: no such session' });
  });

  it('bumped by another terminal: this connection is closed, not exited', async () => {
    const a = await attach((c) => {
      c.send(1, `${ATTACHED}${marker({ event: 'bumped' })}`);
      c.exit(0);
    });
    assert.deepEqual(await a.ended, { kind: 'closed' });
    assert.equal(a.shell.bumped, true);
  });

  it('closed by us: closed, whatever the exec then reports', async () => {
    const a = await attach((c) => c.send(1, ATTACHED));
    a.shell.close();
    assert.deepEqual(await a.ended, { kind: 'closed' });
    assert.equal(a.shell.isOpen, false);
  });
});
