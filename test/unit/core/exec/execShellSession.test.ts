import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { NO_SHELL_MARKER, PROBE_SCRIPT, ShellEnding } from '../../../../src/core/exec/shell';
import { ShellSession } from '../../../../src/core/exec/shellSession';
import { FakeConn, FakeExecServer } from '../../support/fakeExecServer';

const target = { namespace: 'demo', pod: 'sb-1', size: { cols: 80, rows: 24 } };

async function open(server: FakeExecServer, shell?: string) {
  let text = '';
  let resolveEnd!: (e: ShellEnding) => void;
  const ended = new Promise<ShellEnding>((r) => (resolveEnd = r));
  const session = await ShellSession.open(server.client(), { ...target, shell }, { output: (t) => (text += t), end: resolveEnd });
  return { session, ended, text: () => text };
}

describe('ShellSession (probe, fallback, decoding) against a fake exec endpoint', () => {
  const servers: FakeExecServer[] = [];
  const start = async () => {
    const s = await FakeExecServer.start();
    servers.push(s);
    return s;
  };
  after(async () => Promise.all(servers.map((s) => s.close())));

  it('runs the probe in one exec and decodes output split inside a character', async () => {
    const server = await start();
    server.handle((c) => {
      c.send(1, Buffer.from([0x24, 0x20, 0xf0, 0x9f]));
      c.send(1, Buffer.from([0x98, 0x80]));
      c.exit(0);
    });
    const { ended, text } = await open(server);
    assert.deepEqual(await ended, { kind: 'exited', code: 0 });
    assert.equal(text(), '$ 😀');
    assert.equal(server.connections.length, 1);
    assert.deepEqual(server.connections[0].command, ['sh', '-c', PROBE_SCRIPT, 'agent-sandbox-shell', 'bash', 'ash', 'sh']);
  });

  it('when sh itself is missing, execs the candidates directly until one starts', async () => {
    const server = await start();
    server.handle((c: FakeConn) => {
      if (c.command[0] === 'bash') {
        c.status({ status: 'Failure', reason: 'InternalError', message: 'exec: "bash": executable file not found in $PATH' });
        c.ws.close();
      } else if (c.command[0] === 'ash') {
        c.send(1, '/ # ');
        c.exit(0);
      } else {
        c.status({ status: 'Failure', reason: 'InternalError', message: 'OCI runtime exec failed: exec: "sh": executable file not found in $PATH: unknown' });
        c.ws.close();
      }
    });
    const { ended, text } = await open(server);
    assert.deepEqual(await ended, { kind: 'exited', code: 0 });
    assert.deepEqual(
      server.connections.map((c) => c.command[0]),
      ['sh', 'bash', 'ash'],
    );
    assert.equal(text(), '/ # ');
  });

  it('reports no shell, naming the shells tried, when the probe finds none', async () => {
    const server = await start();
    server.handle((c) => {
      c.send(1, `${NO_SHELL_MARKER} (tried: bash ash sh)\r\n`);
      c.exit(127);
    });
    const { ended } = await open(server);
    assert.deepEqual(await ended, { kind: 'no-shell', tried: ['bash', 'ash', 'sh'] });
  });

  it('a configured shell is probed alone and its absence reported by name', async () => {
    const server = await start();
    server.handle((c) => {
      c.send(1, `${NO_SHELL_MARKER} (tried: zsh)\r\n`);
      c.exit(127);
    });
    const { ended } = await open(server, 'zsh');
    assert.deepEqual(server.connections[0].command.slice(3), ['agent-sandbox-shell', 'zsh']);
    assert.deepEqual(await ended, { kind: 'no-shell', tried: ['zsh'] });
  });

  it('close() from our side ends as closed (not lost, not exited)', async () => {
    const server = await start();
    server.handle(() => {});
    const { session, ended } = await open(server);
    session.close();
    assert.deepEqual(await ended, { kind: 'closed' });
  });

  it('a resize before a fallback attempt carries over as that attempt’s initial size', async () => {
    const server = await start();
    let first: FakeConn | undefined;
    const second = new Promise<FakeConn>((resolve) =>
      server.handle((c) => {
        if (!first) first = c;
        else resolve(c);
      }),
    );
    const { session } = await open(server);
    session.resize(132, 43);
    await first!.next((f) => f.channel === 4 && f.data.toString().includes('132'));
    first!.status({ status: 'Failure', reason: 'InternalError', message: 'exec: "sh": executable file not found in $PATH' });
    first!.ws.close();
    const c2 = await second;
    const size = await c2.next((f) => f.channel === 4);
    assert.deepEqual(JSON.parse(size.data.toString()), { Width: 132, Height: 43 });
    session.close();
  });
});
