import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNEL, closeFrame, frame, parseFrame, PROTOCOLS, resizeFrame, stdinFrame } from '../../../../src/core/exec/framing';

describe('exec channel framing', () => {
  it('offers v5 before v4', () => assert.deepEqual([...PROTOCOLS], ['v5.channel.k8s.io', 'v4.channel.k8s.io']));

  it('prefixes stdin with channel 0 and keeps UTF-8 bytes intact', () => {
    const f = stdinFrame('é\n');
    assert.deepEqual([...f], [0, 0xc3, 0xa9, 0x0a]);
  });

  it('frames binary payloads without copying them wrong', () => {
    const payload = Uint8Array.from([0, 255, 1, 254]);
    assert.deepEqual([...frame(CHANNEL.stdout, payload)], [1, 0, 255, 1, 254]);
  });

  it('writes a resize as {"Width","Height"} on channel 4, whole and at least 1', () => {
    const f = resizeFrame(120.7, 40.2);
    assert.equal(f[0], 4);
    assert.deepEqual(JSON.parse(f.subarray(1).toString()), { Width: 120, Height: 40 });
    assert.deepEqual(JSON.parse(resizeFrame(0, -3).subarray(1).toString()), { Width: 1, Height: 1 });
  });

  it('v5 close frame for stdin is exactly [255, 0]', () => {
    assert.deepEqual([...closeFrame(CHANNEL.stdin)], [255, 0]);
  });

  it('parses Buffer, ArrayBuffer and fragment lists; empty messages are ignored', () => {
    const buf = Buffer.from([2, 104, 105]);
    for (const input of [buf, buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length), [Buffer.from([2, 104]), Buffer.from([105])]]) {
      const f = parseFrame(input);
      assert.equal(f?.channel, CHANNEL.stderr);
      assert.equal(f?.data.toString(), 'hi');
    }
    assert.equal(parseFrame(Buffer.alloc(0)), undefined);
  });

  it('a frame with only the channel byte has empty data', () => {
    const f = parseFrame(Buffer.from([3]));
    assert.equal(f?.channel, CHANNEL.status);
    assert.equal(f?.data.length, 0);
  });
});
