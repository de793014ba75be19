import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Utf8Stream } from '../../../../src/core/exec/utf8';

const SAMPLES = ['é', '€', '😀', 'ä€😀 mixed ascii 日本語'];

describe('UTF-8 stream decoding across exec frames', () => {
  for (const text of SAMPLES) {
    it(`reassembles ${JSON.stringify(text)} split at every byte boundary`, () => {
      const bytes = Buffer.from(text, 'utf8');
      for (let cut = 1; cut < bytes.length; cut++) {
        const d = new Utf8Stream();
        const out = d.decode(bytes.subarray(0, cut)) + d.decode(bytes.subarray(cut)) + d.end();
        assert.equal(out, text, `cut at ${cut}`);
        assert.ok(!out.includes('\uFFFD'));
      }
    });
  }

  it('survives one byte per frame', () => {
    const text = '→ 42 ✓ 😀';
    const d = new Utf8Stream();
    let out = '';
    for (const b of Buffer.from(text)) out += d.decode(Uint8Array.of(b));
    assert.equal(out + d.end(), text);
  });

  it('holds back an incomplete character, then flushes it as U+FFFD at the end', () => {
    const d = new Utf8Stream();
    assert.equal(d.decode(Uint8Array.of(0x41, 0xe2, 0x82)), 'A');
    assert.equal(d.end(), '\uFFFD');
  });

  it('a naive per-frame decode would have corrupted the same input (the test can fail)', () => {
    const bytes = Buffer.from('€');
    const naive = bytes.subarray(0, 1).toString('utf8') + bytes.subarray(1).toString('utf8');
    assert.notEqual(naive, '€');
  });
});

describe('UTF-8 stream decoding agrees with TextDecoder({stream: true})', () => {
  it('on valid text, invalid bytes and truncated sequences, chunk by chunk', () => {
    const inputs = [Buffer.from('plain ascii\n'), Buffer.from('ä€😀'), Buffer.from([0xff, 0x41, 0xc3]), Buffer.from([0xa9, 0xe2, 0x82]), Buffer.from([0x41])];
    const ours = new Utf8Stream();
    const reference = new TextDecoder('utf-8');
    let a = '';
    let b = '';
    for (const chunk of inputs) {
      a += ours.decode(chunk);
      b += reference.decode(chunk, { stream: true });
    }
    a += ours.end();
    b += reference.decode();
    assert.equal(a, b);
  });
});
