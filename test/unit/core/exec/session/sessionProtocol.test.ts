// The session holder's protocol as the extension reads it: in-band markers split anywhere,
// byte offsets for resuming, the list output, the install probe's answers. Plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachArgv, startArgv, parsePrepare } from '../../../../../src/core/exec/session/helperInstall';
import { describeAge, MarkerParser, parseEvent } from '../../../../../src/core/exec/session/marker';
import { newSessionId, parseSessionList } from '../../../../../src/core/exec/session/sessionList';

const mark = (o: object) => `\x1b]5379;as-session;${JSON.stringify(o)}\x07`;
const attached = { event: 'attached', new: false, started: 1000, now: 181_000, from: 40, lost: 0, v: 1 };

describe('session marker parser', () => {
  it('strips the marker, reports it and counts output bytes from its offset', () => {
    const p = new MarkerParser();
    const r = p.push(Buffer.from(`${mark(attached)}héllo\r\n`));
    assert.equal(r.data.toString(), 'héllo\r\n');
    assert.deepEqual(r.events, [{ event: 'attached', new: false, started: 1000, now: 181_000, from: 40, lost: 0, pid: undefined }]);
    assert.equal(p.offset, 40 + Buffer.byteLength('héllo\r\n'));
  });

  it('finds a marker split at every byte position, output on both sides intact', () => {
    const whole = Buffer.from(`before\x1b[1m${mark(attached)}after`);
    for (let cut = 1; cut < whole.length; cut++) {
      const p = new MarkerParser();
      const a = p.push(whole.subarray(0, cut));
      const b = p.push(whole.subarray(cut));
      assert.equal(Buffer.concat([a.data, b.data]).toString(), 'before\x1b[1mafter', `cut at ${cut}`);
      assert.equal(a.events.length + b.events.length, 1, `cut at ${cut}`);
      assert.equal(p.offset, 40 + 'after'.length, `cut at ${cut}`);
    }
  });

  it('passes other OSC sequences and a lone ESC through; drops a malformed marker of ours', () => {
    const p = new MarkerParser();
    const r = p.push(Buffer.from(`\x1b]0;title\x07x\x1b${mark({ event: 'attached', new: 'yes' })}y`));
    assert.equal(r.data.toString(), '\x1b]0;title\x07x\x1by');
    assert.deepEqual(r.events, []);
  });

  it('gives up on an unterminated marker after 4 KiB instead of holding output forever', () => {
    const p = new MarkerParser();
    const r = p.push(Buffer.from(`\x1b]5379;as-session;${'x'.repeat(5000)}`));
    assert.ok(r.data.length > 5000);
  });

  it('parses bumped and error events, bounding the message', () => {
    assert.deepEqual(parseEvent('{"event":"bumped"}'), { event: 'bumped' });
    const e = parseEvent(JSON.stringify({ event: 'error', message: 'y'.repeat(900) }));
    assert.equal(e?.event === 'error' && e.message.length, 500);
    assert.equal(parseEvent('{"event":"other"}'), undefined);
    assert.equal(parseEvent('nope'), undefined);
  });

  it('says how old a session is', () => {
    assert.equal(describeAge(40_000), '40 s');
    assert.equal(describeAge(180_000), '3 min');
    assert.equal(describeAge(3 * 3600_000), '3 h');
    assert.equal(describeAge(125 * 60_000), '2 h 5 min');
    assert.equal(describeAge(72 * 3600_000), '3 days');
  });
});

describe('session list and ids', () => {
  it('parses list lines, sorted by start, skipping malformed ones and bad ids', () => {
    const text = [
      JSON.stringify({ id: 'b2', started: 20, lastOutput: 30, command: 'sleep\n30\x1b', attached: true, pid: 7 }),
      'garbage',
      JSON.stringify({ id: '../x', started: 1, lastOutput: 1 }),
      JSON.stringify({ id: 'a1', started: 10, lastOutput: 15, command: '' }),
      JSON.stringify({ id: 'c3', started: 'x', lastOutput: 1 }),
      '',
    ].join('\n');
    assert.deepEqual(parseSessionList(text), [
      { id: 'a1', started: 10, lastOutput: 15, command: '', attached: false },
      { id: 'b2', started: 20, lastOutput: 30, command: 'sleep 30 ', attached: true },
    ]);
  });

  it('makes ids the holder accepts', () => {
    assert.match(
      newSessionId((n) => new Uint8Array(n).fill(171)),
      /^[0-9a-f]{12}$/,
    );
  });
});

describe('helper install probe', () => {
  it('reads OK and NEED with their paths', () => {
    assert.deepEqual(parsePrepare('OK amd64\n/root/.cache/agent-sandbox/bin/abc/as-session\n/root/.cache/agent-sandbox/sessions\n'), {
      kind: 'ok',
      arch: 'amd64',
      bin: '/root/.cache/agent-sandbox/bin/abc/as-session',
      sessionsDir: '/root/.cache/agent-sandbox/sessions',
      gvisor: false,
    });
    assert.deepEqual(parsePrepare('NEED arm64\n/h/.cache/agent-sandbox/bin/abc\n/h/.cache/agent-sandbox/sessions\n'), {
      kind: 'need',
      arch: 'arm64',
      dir: '/h/.cache/agent-sandbox/bin/abc',
      sessionsDir: '/h/.cache/agent-sandbox/sessions',
      gvisor: false,
    });
  });

  it('marks a gVisor sandbox, whose sessions are started before the TTY attach', () => {
    assert.equal((parsePrepare('OK amd64 gvisor\n/h/b/as-session\n/h/s\n') as { gvisor: boolean }).gvisor, true);
    assert.equal((parsePrepare('NEED amd64 gvisor\n/h/b\n/h/s\n') as { gvisor: boolean }).gvisor, true);
  });

  it('turns every refusal into a reason, and rejects relative or ".." paths', () => {
    assert.match((parsePrepare('ARCH s390x\n') as { reason: string }).reason, /s390x/);
    assert.match((parsePrepare('NOHOME\n') as { reason: string }).reason, /home/);
    assert.match((parsePrepare('NOSHA\n') as { reason: string }).reason, /sha256sum/);
    assert.match((parsePrepare('UNSAFE /tmp/.cache/agent-sandbox\n') as { reason: string }).reason, /^\/tmp\/\.cache\/agent-sandbox is writable by others/);
    assert.equal(parsePrepare('OK amd64\nrelative/as-session\n/s\n').kind, 'unavailable');
    assert.equal(parsePrepare('OK amd64\n/a/../b\n/s\n').kind, 'unavailable');
    assert.equal(parsePrepare('OK mips\n/a\n/s\n').kind, 'unavailable');
  });

  it('builds the attach argv with the shell argv after "--" and an integer offset', () => {
    assert.deepEqual(attachArgv({ bin: '/b/as-session', sessionsDir: '/s' }, 'id1', 12.7, ['sh', '-c', 'x']), [
      '/b/as-session',
      'attach',
      '/s',
      'id1',
      '12',
      '--',
      'sh',
      '-c',
      'x',
    ]);
    assert.deepEqual(startArgv({ bin: '/b/as-session', sessionsDir: '/s' }, 'id1', ['sh', '-c', 'x']), [
      '/b/as-session',
      'start',
      '/s',
      'id1',
      '--',
      'sh',
      '-c',
      'x',
    ]);
  });
});
