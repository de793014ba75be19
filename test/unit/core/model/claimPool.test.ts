import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimSandboxName, claimSource, claimStatus } from '../../../../src/core/model/claim';
import { isPoolMember, nameHash, poolReplicas } from '../../../../src/core/model/pool';
import { generateClaimName, validateName, validateReplicas } from '../../../../src/core/model/validation';

describe('claims across versions', () => {
  it('finds the bound sandbox in every place releases put it', () => {
    assert.equal(claimSandboxName({ metadata: { name: 'c' }, status: { sandbox: { name: 'a' } } }), 'a');
    assert.equal(claimSandboxName({ metadata: { name: 'c' }, status: { sandbox: { Name: 'b' } } }), 'b');
    assert.equal(claimSandboxName({ metadata: { name: 'c', annotations: { 'agents.x-k8s.io/sandbox-name': 'd' } } }), 'd');
    assert.equal(claimSandboxName({ metadata: { name: 'c', labels: { 'agents.x-k8s.io/sandbox-name': 'e' } } }), 'e');
    assert.equal(claimSandboxName({ metadata: { name: 'c' } }), undefined);
  });
  it('reads warmPoolRef (v1beta1) and sandboxTemplateRef / warmpool (v1alpha1)', () => {
    assert.deepEqual(claimSource({ metadata: { name: 'c' }, spec: { warmPoolRef: { name: 'p' } } }), { kind: 'pool', name: 'p' });
    assert.deepEqual(claimSource({ metadata: { name: 'c' }, spec: { sandboxTemplateRef: { name: 't' }, warmpool: 'default' } }), {
      kind: 'template',
      name: 't',
    });
    assert.deepEqual(claimSource({ metadata: { name: 'c' }, spec: { sandboxTemplateRef: { name: 't' }, warmpool: 'p2' } }), { kind: 'pool', name: 'p2' });
  });
  it('maps Ready reasons to a status', () => {
    const c = (status: string, reason: string) => ({ metadata: { name: 'c' }, status: { conditions: [{ type: 'Ready', status, reason }] } });
    assert.equal(claimStatus(c('True', 'DependenciesReady')).status, 'Ready');
    assert.equal(claimStatus(c('False', 'SandboxSuspended')).status, 'Hibernated');
    assert.equal(claimStatus(c('False', 'WarmPoolNotFound')).status, 'Failed');
    assert.equal(claimStatus(c('False', 'ClaimExpired')).status, 'Expired');
    assert.equal(claimStatus(c('False', 'SandboxNotReady')).status, 'Pending');
  });
});

describe('warm pools', () => {
  it('NameHash is 32-bit FNV-1a in 8 hex digits', () => {
    assert.equal(nameHash(''), '811c9dc5');
    assert.equal(nameHash('a'), 'e40c292c');
    assert.equal(nameHash('foobar'), 'bf9cf968');
  });
  it('membership by label hash or pool ownership', () => {
    const pool = { metadata: { name: 'python-pool', namespace: 'd' } };
    assert.equal(
      isPoolMember(pool, { metadata: { name: 's', namespace: 'd', labels: { 'agents.x-k8s.io/warm-pool-sandbox': nameHash('python-pool') } } }),
      true,
    );
    assert.equal(
      isPoolMember(pool, {
        metadata: { name: 's', namespace: 'd', ownerReferences: [{ kind: 'SandboxWarmPool', name: 'python-pool', uid: 'u', controller: true }] },
      }),
      true,
    );
    assert.equal(
      isPoolMember(pool, { metadata: { name: 's', namespace: 'other', labels: { 'agents.x-k8s.io/warm-pool-sandbox': nameHash('python-pool') } } }),
      false,
    );
    assert.equal(
      isPoolMember(pool, { metadata: { name: 's', namespace: 'd', ownerReferences: [{ kind: 'SandboxClaim', name: 'c', uid: 'u', controller: true }] } }),
      false,
    );
  });
  it('replicas default to 1 desired, 0 ready', () => {
    assert.deepEqual(poolReplicas({ metadata: { name: 'p' }, spec: {} }), { ready: 0, desired: 1, current: 0 });
    assert.deepEqual(poolReplicas({ metadata: { name: 'p' }, spec: { replicas: 2 }, status: { readyReplicas: 1, replicas: 2 } }), {
      ready: 1,
      desired: 2,
      current: 2,
    });
  });
});

describe('validation', () => {
  it('accepts DNS-1123 names and explains rejections', () => {
    assert.equal(validateName('my-claim-1'), undefined);
    assert.match(validateName('') ?? '', /required/);
    assert.match(validateName('My_Claim') ?? '', /lowercase/);
    assert.match(validateName('-x') ?? '', /starting/);
    assert.match(validateName('a'.repeat(64)) ?? '', /63/);
  });
  it('replica counts are whole numbers in range', () => {
    assert.equal(validateReplicas('3'), undefined);
    assert.equal(validateReplicas(' 0 '), undefined);
    assert.ok(validateReplicas('-1'));
    assert.ok(validateReplicas('1.5'));
    assert.ok(validateReplicas('abc'));
    assert.ok(validateReplicas('5000'));
  });
  it('generated claim names are valid and short enough', () => {
    const name = generateClaimName('a-very-long-warm-pool-name-that-goes-on-and-on-and-on-forever-x');
    assert.equal(validateName(name), undefined, name);
    assert.match(
      generateClaimName('python-pool', () => 0),
      /^python-pool-claim-bbbbb$/,
    );
  });
});
