import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ExecSession, execCollect, upgradeError } from '../../../../src/core/exec/execSession';
import type { ExecResult } from '../../../../src/core/exec/status';
import { KubeError } from '../../../../src/core/k8s/errors';
import { FakeExecServer } from '../../support/fakeExecServer';

const target = { namespace: 'demo', pod: 'sb-1', container: 'main' };

/** Opens a TTY exec against the fake and returns it with its collected output and its ending. */
async function openTty(server: FakeExecServer, extra: Partial<Parameters<typeof ExecSession.open>[1]> = {}) {
  const out: Buffer[] = [];
  let resolveEnd!: (r: ExecResult) => void;
  const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
  const connected = new Promise<import('../../support/fakeExecServer').FakeConn>((r) => server.handle(r));
  const session = await ExecSession.open(
    server.client(),
    { ...target, command: ['sh'], tty: true, stdin: true, size: { cols: 100, rows: 30 }, ...extra },
    {
      stdout: (d) => out.push(Buffer.from(d)),
      end: resolveEnd,
    },
  );
  return { session, conn: await connected, out, ended };
}

describe('ExecSession against a fake exec endpoint', () => {
  const servers: FakeExecServer[] = [];
  const start = async (o?: Parameters<typeof FakeExecServer.start>[0]) => {
    const s = await FakeExecServer.start(o);
    servers.push(s);
    return s;
  };
  after(async () => Promise.all(servers.map((s) => s.close())));

  it('asks for the right exec URL: argv as repeated command=, container, tty without stderr', async () => {
    const server = await start();
    const { conn, session } = await openTty(server, { command: ['sh', '-c', 'echo "$1"', 'x y'] });
    assert.equal(conn.url.pathname, '/api/v1/namespaces/demo/pods/sb-1/exec');
    assert.deepEqual(conn.command, ['sh', '-c', 'echo "$1"', 'x y']);
    assert.equal(conn.url.searchParams.get('container'), 'main');
    assert.equal(conn.url.searchParams.get('tty'), 'true');
    assert.equal(conn.url.searchParams.get('stderr'), 'false');
    session.close();
  });

  it('a TTY always asks for stdin (kwok crashes on a TTY without one)', async () => {
    const server = await start();
    const { conn, session } = await openTty(server, { stdin: false });
    assert.equal(conn.url.searchParams.get('stdin'), 'true');
    session.close();
  });

  it('negotiates v5 when offered, and sends the initial size as the very first frame', async () => {
    const server = await start();
    const { session, conn } = await openTty(server);
    assert.equal(session.protocol, 'v5.channel.k8s.io');
    const first = await conn.next(() => true);
    assert.equal(first.channel, 4);
    assert.deepEqual(JSON.parse(first.data.toString()), { Width: 100, Height: 30 });
    session.close();
  });

  it('falls back to v4 when the server does not speak v5; stdin EOF is then unavailable', async () => {
    const server = await start({ protocols: ['v4.channel.k8s.io'] });
    const { session } = await openTty(server);
    assert.equal(session.protocol, 'v4.channel.k8s.io');
    assert.equal(session.closeStdin(), false);
    session.close();
  });

  it('sends stdin on channel 0, resizes on channel 4 and a v5 stdin close frame', async () => {
    const server = await start();
    const { session, conn } = await openTty(server);
    session.write('ls\r');
    session.resize(120, 40);
    assert.equal(session.closeStdin(), true);
    const input = await conn.next((f) => f.channel === 0);
    assert.equal(input.data.toString(), 'ls\r');
    await conn.next((f) => f.channel === 4 && f.data.toString().includes('120'));
    const close = await conn.next((f) => f.channel === 255);
    assert.deepEqual([...close.data], [0]);
    session.close();
  });

  it('delivers stdout bytes and ends with the exit code from the status channel', async () => {
    const server = await start();
    const { conn, out, ended } = await openTty(server);
    conn.send(1, 'hello ');
    conn.send(1, Buffer.from([0xe2, 0x82]));
    conn.send(1, Buffer.from([0xac]));
    conn.exit(3);
    assert.deepEqual(await ended, { kind: 'exited', code: 3 });
    assert.equal(Buffer.concat(out).toString(), 'hello €');
  });

  it('a socket closed without a status is a lost connection, never an exit', async () => {
    const server = await start();
    const { conn, ended } = await openTty(server);
    conn.ws.terminate();
    const r = await ended;
    assert.equal(r.kind, 'lost');
  });

  it('terminate() on our side (dead network) ends as lost', async () => {
    const server = await start();
    const { session, ended } = await openTty(server);
    session.terminate();
    assert.equal((await ended).kind, 'lost');
  });

  it('a server that stops answering pings is declared lost by the watchdog', async () => {
    const server = await start({ autoPong: false });
    const { ended } = await openTty(server, { pingMs: 50, deadAfterMs: 200 });
    const r = await ended;
    assert.equal(r.kind, 'lost');
    assert.match((r as { message: string }).message, /no answer from the API server/);
  });

  it('answered pings keep an idle session alive past the dead-after window', async () => {
    const server = await start();
    const { session, conn, ended } = await openTty(server, { pingMs: 40, deadAfterMs: 150 });
    let endedEarly = false;
    void ended.then(() => (endedEarly = true));
    // Wait for enough pings to have crossed the dead-after window (counted on the server side).
    let pings = 0;
    await new Promise<void>((r) => conn.ws.on('ping', () => ++pings >= 6 && r()));
    assert.equal(endedEarly, false);
    assert.equal(session.isOpen, true);
    session.close();
  });

  for (const [status, body, reason] of [
    [403, '{"kind":"Status","message":"pods \\"sb-1\\" is forbidden: User \\"u\\" cannot create resource \\"pods/exec\\""}', 'Forbidden'],
    [404, '{"message":"pods \\"sb-1\\" not found"}', 'NotFound'],
    [400, '{"message":"container nope is not valid for pod sb-1"}', 'ContainerNotFound'],
    [400, '{"message":"unable to upgrade connection: pod does not exist"}', undefined],
    [400, '{"message":"container main is not running (state: waiting)"}', 'PodNotRunning'],
  ] as const) {
    it(`maps a refused upgrade (HTTP ${status}: ${JSON.parse(body).message}) to a clear error`, async () => {
      const server = await start({ refuse: () => ({ status, body }) });
      await assert.rejects(ExecSession.open(server.client(), { ...target, command: ['sh'], tty: true, stdin: true }, {}), (err: unknown) => {
        assert.ok(err instanceof KubeError);
        assert.equal(err.status, status);
        if (reason) assert.equal(err.reason, reason);
        assert.ok(err.message.includes('demo/sb-1'), err.message);
        return true;
      });
    });
  }

  it('an upgrade answered with 200 by a proxy is reported as a refused websocket', () => {
    const e = upgradeError(200, '<html>login</html>', target);
    assert.equal(e.reason, 'UpgradeRefused');
    assert.match(e.message, /proxy/);
  });

  it('execCollect sends input, half-closes stdin (v5) and collects stdout/stderr separately', async () => {
    const server = await start();
    server.handle(async (conn) => {
      const eof = await conn.next((f) => f.channel === 255);
      assert.deepEqual([...eof.data], [0]);
      const input = Buffer.concat(conn.frames.filter((f) => f.channel === 0).map((f) => f.data)).toString();
      conn.send(1, input.toUpperCase());
      conn.send(2, 'warn');
      conn.exit(0);
    });
    const r = await execCollect(server.client(), { ...target, command: ['tr', 'a-z', 'A-Z'], input: 'abc' });
    assert.deepEqual(r.result, { kind: 'exited', code: 0 });
    assert.equal(r.stdout.toString(), 'ABC');
    assert.equal(r.stderr.toString(), 'warn');
  });
});
