import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/core/model/objects';
import { lastChangeTime, VersionTimes } from '../../../../src/core/yaml/versionTimes';

const at = (iso: string) => Date.parse(iso);
function obj(rv: string, opts: { uid?: string; created?: string; fields?: string[] } = {}): KubeObject {
  const metadata = {
    name: 'sb-1',
    namespace: 'demo',
    uid: opts.uid ?? 'u1',
    resourceVersion: rv,
    creationTimestamp: opts.created,
    managedFields: (opts.fields ?? []).map((time) => ({ manager: 'm', operation: 'Update', time })),
  };
  return { kind: 'Sandbox', metadata } as KubeObject;
}

describe('editable YAML mtime: changes exactly when the object does', () => {
  it("a version first seen gets the object's last change from its metadata", () => {
    const times = new VersionTimes(() => at('2030-01-01T00:00:00Z'));
    const o = obj('10', { created: '2026-01-01T10:00:00Z', fields: ['2026-01-01T10:00:00Z', '2026-01-02T08:30:00Z'] });
    assert.equal(times.mtime('k', o), at('2026-01-02T08:30:00Z'));
  });

  it('without times in the metadata, the time the version was first seen', () => {
    let now = 5_000;
    const times = new VersionTimes(() => now);
    assert.equal(times.mtime('k', obj('1')), 5_000);
    now = 9_000;
    assert.equal(times.mtime('k', obj('1')), 5_000, 'the same version keeps its time');
    assert.equal(times.mtime('k', obj('2')), 9_000);
  });

  it('the same version always has the same mtime, whatever the clock does', () => {
    let now = 1_000;
    const times = new VersionTimes(() => now++);
    const first = times.mtime('k', obj('7'));
    for (let i = 0; i < 3; i++) assert.equal(times.mtime('k', obj('7')), first);
  });

  it('a new version is strictly newer even when the metadata time did not move (second precision, status writes)', () => {
    const times = new VersionTimes(() => 0);
    const t = '2026-03-01T12:00:00Z';
    const a = times.mtime('k', obj('1', { fields: [t] }));
    const b = times.mtime('k', obj('2', { fields: [t] }));
    const c = times.mtime('k', obj('3', { fields: ['2026-03-01T11:00:00Z'] }));
    assert.ok(a < b && b < c, `${a} < ${b} < ${c}`);
  });

  it('a deleted and recreated object (new uid) is a new version', () => {
    const times = new VersionTimes(() => 100);
    const a = times.mtime('k', obj('5', { uid: 'old' }));
    assert.ok(times.mtime('k', obj('5', { uid: 'new' })) > a);
  });

  it('each object has its own clock', () => {
    const times = new VersionTimes(() => 100);
    times.mtime('a', obj('1'));
    times.mtime('a', obj('2'));
    assert.equal(times.mtime('b', obj('1')), 100);
  });

  it('lastChangeTime takes the newest valid time and ignores unparsable ones', () => {
    assert.equal(lastChangeTime(obj('1', { created: '2026-01-01T00:00:00Z', fields: ['nonsense', '2025-12-31T00:00:00Z'] })), at('2026-01-01T00:00:00Z'));
    assert.equal(lastChangeTime(obj('1')), undefined);
  });
});
