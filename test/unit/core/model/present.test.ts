import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  claimDescription,
  poolDescription,
  sandboxDescription,
  sandboxTooltip,
  templateDescription,
  templateTooltip,
} from '../../../../src/core/model/present';
import { formatAge } from '../../../../src/core/model/objects';

const now = Date.parse('2026-11-28T12:00:00Z');
const sandbox = {
  metadata: { name: 'python-pool-x1', namespace: 'demo', creationTimestamp: '2026-11-28T11:55:00Z', labels: { 'agents.x-k8s.io/launch-type': 'warm' } },
  spec: {
    operatingMode: 'Running',
    podTemplate: { spec: { runtimeClassName: 'gvisor', containers: [{ name: 'agent' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'workspace' } }],
  },
  status: { conditions: [{ type: 'Ready', status: 'True', reason: 'DependenciesReady' }], podIPs: ['10.0.0.7'], nodeName: 'kwok-gvisor' },
};

describe('presentation', () => {
  it('sandbox description: state · runtime · launch · age', () => assert.equal(sandboxDescription(sandbox, now), 'Running · gVisor · warm · 5m'));
  it('sandbox tooltip names pod, IPs, node, PVCs and conditions', () => {
    const t = sandboxTooltip(sandbox, now);
    for (const s of ['10\\.0\\.0\\.7', 'kwok\\-gvisor', 'workspace\\-python\\-pool\\-x1', '| Ready | True | DependenciesReady |'])
      assert.ok(t.includes(s), `${s} in\n${t}`);
  });
  it('pool description shows ready/desired and the template runtime', () => {
    assert.equal(
      poolDescription(
        { metadata: { name: 'p' }, spec: { replicas: 2 }, status: { readyReplicas: 1 } },
        { metadata: { name: 't' }, spec: { podTemplate: { spec: { runtimeClassName: 'gvisor' } } } },
      ),
      '1/2 ready · gVisor',
    );
  });
  it('templates without a runtime class are flagged as not isolated', () => {
    const t = { metadata: { name: 't' }, spec: { podTemplate: { spec: { containers: [] } } } };
    assert.equal(templateDescription(t), 'runc · not isolated');
    assert.match(templateTooltip(t), /not be isolated/);
  });
  it('claim description', () => {
    assert.equal(
      claimDescription(
        {
          metadata: { name: 'c', creationTimestamp: '2026-11-28T11:59:30Z' },
          spec: { warmPoolRef: { name: 'p' } },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
        now,
      ),
      'Ready · pool p · 30s',
    );
  });
  it('ages like kubectl', () => {
    assert.equal(formatAge('2026-11-28T11:59:00Z', now), '60s');
    assert.equal(formatAge('2026-11-28T10:01:00Z', now), '119m');
    assert.equal(formatAge('2026-11-28T10:00:00Z', now), '2h');
    assert.equal(formatAge('2026-11-26T13:00:00Z', now), '47h');
    assert.equal(formatAge('2026-11-26T12:00:00Z', now), '2d');
    assert.equal(formatAge('2026-11-20T12:00:00Z', now), '8d');
  });
});
