import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { HelperPlace } from '../../../../../src/core/exec/session/helperInstall';
import { HelperPlaces, type PlaceAnswer } from '../../../../../src/core/exec/session/helperPlaces';

const POD = { scope: 'ctx', namespace: 'ns', pod: 'sb-1', container: 'main' };
const place = (bin: string): HelperPlace => ({ bin, sessionsDir: '/home/u/.cache/agent-sandbox/sessions' });

describe('HelperPlaces: where the session helper is, per pod instance', () => {
  it('probes a pod once while its UID stays the same', async () => {
    const places = new HelperPlaces();
    let probes = 0;
    const probe = async (): Promise<PlaceAnswer> => (probes++, place('/h/as-session'));
    assert.deepEqual(await places.get(POD, async () => 'uid-a', probe), place('/h/as-session'));
    await places.get(POD, async () => 'uid-a', probe);
    assert.equal(probes, 1);
  });

  it('probes again when the pod was replaced under the same name (a resumed sandbox has a fresh filesystem)', async () => {
    const places = new HelperPlaces();
    const seen: string[] = [];
    await places.get(
      POD,
      async () => 'uid-a',
      async () => (seen.push('a'), place('/old')),
    );
    const after = await places.get(
      POD,
      async () => 'uid-b',
      async () => (seen.push('b'), place('/new')),
    );
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal((after as HelperPlace).bin, '/new');
  });

  it('does not remember "cannot persist", failures, or a pod whose UID cannot be read', async () => {
    const places = new HelperPlaces();
    let probes = 0;
    await places.get(
      POD,
      async () => 'uid-a',
      async () => (probes++, { unavailable: 'upload off' }),
    );
    await places.get(
      POD,
      async () => 'uid-a',
      async () => (probes++, place('/h')),
    );
    await assert.rejects(
      places.get(
        { ...POD, pod: 'sb-2' },
        async () => 'uid-c',
        async () => (probes++, Promise.reject(new Error('exec failed'))),
      ),
    );
    await places.get(
      { ...POD, pod: 'sb-2' },
      async () => 'uid-c',
      async () => (probes++, place('/h')),
    );
    await places.get(
      { ...POD, pod: 'sb-3' },
      async () => Promise.reject(new Error('403')),
      async () => (probes++, place('/h')),
    );
    await places.get(
      { ...POD, pod: 'sb-3' },
      async () => undefined,
      async () => (probes++, place('/h')),
    );
    assert.equal(probes, 6);
  });

  it('keeps contexts and containers apart', async () => {
    const places = new HelperPlaces();
    let probes = 0;
    const probe = async (): Promise<PlaceAnswer> => (probes++, place('/h'));
    await places.get(POD, async () => 'u', probe);
    await places.get({ ...POD, scope: 'other' }, async () => 'u', probe);
    await places.get({ ...POD, container: 'sidecar' }, async () => 'u', probe);
    assert.equal(probes, 3);
  });
});
