import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameHash, NameHashes } from '../../../../src/core/model/pool';

describe('NameHashes: the model-owned memo of pool-name hashes', () => {
  it('gives the same hash as nameHash and remembers each name once', () => {
    const hashes = new NameHashes();
    assert.equal(hashes.of('python-pool'), nameHash('python-pool'));
    assert.equal(hashes.of('python-pool'), nameHash('python-pool'));
    assert.equal(hashes.size, 1);
  });

  it('stops remembering at its bound but still answers', () => {
    const hashes = new NameHashes(2);
    for (const n of ['a', 'b', 'c', 'd']) assert.equal(hashes.of(n), nameHash(n));
    assert.equal(hashes.size, 2);
  });

  it('is per instance: one owner never sees what another remembered', () => {
    const a = new NameHashes();
    a.of('x');
    assert.equal(new NameHashes().size, 0);
  });
});
