// Claims as agent-sandbox v1.0 and its SDKs shape them: Ready reasons, TTL, creator, latency, body.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyClaimReason, claimCreator, claimExpiry, claimLatency, claimServiceFqdn, claimStatus, formatExpiry } from '../../../../src/core/model/claim';
import { claimBody, claimFormOptions, describeClaimForm, parsePairs, parseTtl, templateAllowsEnv } from '../../../../src/core/model/claimBody';
import type { KubeObject } from '../../../../src/core/model/objects';
import { claimDescription, claimTooltip } from '../../../../src/core/model/present';

const claim = (extra: Partial<KubeObject> & { ready?: [string, string, string?] } = {}): KubeObject => ({
  metadata: { name: 'c1', namespace: 'demo', creationTimestamp: '2026-12-01T10:00:00Z', ...(extra.metadata ?? {}) },
  spec: { warmPoolRef: { name: 'python-pool' }, ...(extra.spec ?? {}) },
  status: {
    ...(extra.ready ? { conditions: [{ type: 'Ready', status: extra.ready[0], reason: extra.ready[1], message: extra.ready[2] }] } : {}),
    ...(extra.status ?? {}),
  },
});
const pool: KubeObject = { metadata: { name: 'python-pool', namespace: 'demo' }, spec: { sandboxTemplateRef: { name: 'python-gvisor' } } };

describe('claim Ready reasons (upstream v1.0 classification)', () => {
  for (const r of [
    'InvalidMetadata',
    'EnvVarsInjectionRejected',
    'VolumeClaimTemplatesError',
    'ClaimExpired',
    'SandboxExpired',
    'InvalidConfiguration',
    'PodFailed',
    'PodSucceeded',
  ]) {
    it(`${r} is terminal`, () => assert.equal(classifyClaimReason(r), 'terminal'));
  }
  for (const r of ['AdoptionPending', 'SandboxMissing', 'SandboxNotReady', 'ReconcilerError']) {
    it(`${r} is transient: Pending, with why we keep waiting`, () => {
      assert.equal(classifyClaimReason(r), 'transient');
      const st = claimStatus(claim({ ready: ['False', r, 'x'] }));
      assert.equal(st.status, 'Pending');
      assert.ok(st.waiting && st.waiting.length > 5, `a waiting text for ${r}`);
    });
  }
  it('terminal reasons fail the claim, except expiry which is Expired', () => {
    assert.equal(claimStatus(claim({ ready: ['False', 'EnvVarsInjectionRejected', 'template forbids env'] })).status, 'Failed');
    assert.equal(claimStatus(claim({ ready: ['False', 'PodSucceeded'] })).status, 'Failed');
    assert.equal(claimStatus(claim({ ready: ['False', 'ClaimExpired'] })).status, 'Expired');
    assert.equal(classifyClaimReason('SomethingNew'), 'unknown');
    assert.equal(claimStatus(claim({ ready: ['False', 'SomethingNew'] })).status, 'Pending');
  });
});

describe('claim fields from v1.0 and the SDKs', () => {
  it('serviceFQDN, creator label and TTL', () => {
    const c = claim({
      metadata: { name: 'c1', labels: { 'agents.x-k8s.io/created-by': 'python-client' } },
      spec: { warmPoolRef: { name: 'p' }, lifecycle: { shutdownTime: '2026-12-01T11:00:00Z', shutdownPolicy: 'Delete' } },
      status: { sandbox: { name: 's1', serviceFQDN: 's1.demo.svc.cluster.local' } },
    });
    assert.equal(claimServiceFqdn(c), 's1.demo.svc.cluster.local');
    assert.equal(claimServiceFqdn(claim()), undefined);
    assert.equal(claimCreator(c), 'python-client');
    assert.equal(claimExpiry(c, Date.parse('2026-12-01T10:18:00Z')), 'expires in 42 min');
    assert.equal(claimExpiry(c, Date.parse('2026-12-01T11:00:01Z')), 'Expired');
    assert.equal(claimExpiry(claim(), Date.now()), undefined);
  });
  it('formats expiry in s, min, h and days', () => {
    const now = 0;
    assert.equal(formatExpiry(40_000, now), 'expires in 40 s');
    assert.equal(formatExpiry(90_000, now), 'expires in 2 min');
    assert.equal(formatExpiry(3 * 3600_000 + 5 * 60_000, now), 'expires in 3 h 5 min');
    assert.equal(formatExpiry(2 * 3600_000, now), 'expires in 2 h');
    assert.equal(formatExpiry(72 * 3600_000, now), 'expires in 3 d');
    assert.equal(formatExpiry(0, now), 'Expired');
  });
  it('latency from the client and controller annotations', () => {
    const c = claim({
      metadata: {
        name: 'c1',
        annotations: {
          'agents.x-k8s.io/client-first-requested-at': '2026-12-01T10:00:00.000Z',
          'agents.x-k8s.io/controller-first-observed-at': '2026-12-01T10:00:00.120Z',
          'agents.x-k8s.io/claim-first-ready-at': '2026-12-01T10:00:01.000Z',
        },
      },
    });
    assert.deepEqual(claimLatency(c), { requestToObserved: 120, observedToReady: 880, requestToReady: 1000 });
    assert.deepEqual(claimLatency(claim()), { requestToObserved: undefined, observedToReady: undefined, requestToReady: undefined });
    assert.match(claimTooltip(c, 0), /Claim latency: requested → controller saw it 120 ms → Ready 880 ms \\\(total 1\\\.0 s\\\)/);
  });
  it('tree description shows the expiry; tooltip the creator, FQDN and the transient reason', () => {
    const c = claim({
      metadata: { name: 'c1', creationTimestamp: '2026-12-01T10:00:00Z', labels: { 'agents.x-k8s.io/created-by': 'vscode' } },
      spec: { warmPoolRef: { name: 'python-pool' }, lifecycle: { shutdownTime: '2026-12-01T11:00:00Z' } },
      ready: ['False', 'AdoptionPending', 'waiting'],
      status: { sandbox: { serviceFQDN: 'x.demo.svc.cluster.local' } },
    });
    const now = Date.parse('2026-12-01T10:18:00Z');
    assert.equal(claimDescription(c, now), 'Pending · pool python-pool · expires in 42 min · 18m');
    const tip = claimTooltip(c, now);
    assert.match(tip, /Created by: vscode/);
    assert.match(tip, /Service: x\\\.demo\\\.svc\\\.cluster\\\.local/);
    assert.match(tip, /Reason: AdoptionPending \(waiting to adopt/);
    assert.match(claimTooltip(claim(), now), /Created by: unknown/);
  });
});

describe('claimBody', () => {
  const requestedAt = new Date('2026-12-01T10:00:00.250Z');
  it('a minimal v1beta1 claim carries the SDK label and annotation', () => {
    assert.deepEqual(claimBody({ name: 'c1', namespace: 'demo', pool, version: 'v1beta1', createdBy: 'vscode', requestedAt }), {
      apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
      kind: 'SandboxClaim',
      metadata: {
        name: 'c1',
        namespace: 'demo',
        labels: { 'agents.x-k8s.io/created-by': 'vscode' },
        annotations: { 'agents.x-k8s.io/client-first-requested-at': '2026-12-01T10:00:00.250Z' },
      },
      spec: { warmPoolRef: { name: 'python-pool' } },
    });
  });
  it('every option', () => {
    const body = claimBody({
      name: 'c1',
      namespace: 'demo',
      pool,
      version: 'v1beta1',
      createdBy: 'vscode-agent',
      requestedAt,
      ttlSeconds: 3600,
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'x y', containerName: 'agent' },
      ],
      labels: { team: 'ml', 'agents.x-k8s.io/created-by': 'spoofed' },
      podLabels: { app: 'x' },
      podAnnotations: { 'example.com/note': 'hi' },
    });
    assert.deepEqual(body.metadata.labels, { team: 'ml', 'agents.x-k8s.io/created-by': 'vscode-agent' });
    assert.deepEqual(body.spec, {
      warmPoolRef: { name: 'python-pool' },
      lifecycle: { shutdownTime: '2026-12-01T11:00:00Z', shutdownPolicy: 'Delete' },
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'x y', containerName: 'agent' },
      ],
      additionalPodMetadata: { labels: { app: 'x' }, annotations: { 'example.com/note': 'hi' } },
    });
    const retain = claimBody({
      name: 'c',
      namespace: 'd',
      pool,
      version: 'v1beta1',
      createdBy: 'vscode',
      requestedAt,
      ttlSeconds: 60,
      shutdownPolicy: 'Retain',
    });
    assert.deepEqual(retain.spec?.['lifecycle'], { shutdownTime: '2026-12-01T10:01:00Z', shutdownPolicy: 'Retain' });
  });
  it('v1alpha1 names the template and the pool', () => {
    assert.deepEqual(claimBody({ name: 'c1', namespace: 'demo', pool, version: 'v1alpha1', createdBy: 'vscode', requestedAt }).spec, {
      sandboxTemplateRef: { name: 'python-gvisor' },
      warmpool: 'python-pool',
    });
  });
  it('parses key=value lists and TTLs, rejecting bad input with a reason', () => {
    assert.deepEqual(parsePairs('a=1, b = two\nexample.com/x=y', 'label'), { pairs: { a: '1', b: 'two', 'example.com/x': 'y' } });
    assert.ok('problem' in parsePairs('novalue', 'label'));
    assert.ok('problem' in parsePairs('a=has space', 'label'));
    assert.deepEqual(parsePairs('note=any text at all', 'annotation'), { pairs: { note: 'any text at all' } });
    assert.ok('problem' in parsePairs('1BAD=x', 'env'));
    assert.deepEqual(parsePairs('API_KEY=a=b', 'env'), { pairs: { API_KEY: 'a=b' } });
    assert.deepEqual(parseTtl('30m'), { seconds: 1800 });
    assert.deepEqual(parseTtl('1h30m'), { seconds: 5400 });
    assert.deepEqual(parseTtl('45'), { seconds: 2700 });
    assert.deepEqual(parseTtl('90s'), { seconds: 90 });
    assert.ok('problem' in parseTtl('soon'));
    assert.ok('problem' in parseTtl('0'));
  });
});

describe('New Claim "More options" form', () => {
  it('turns typed fields into claim options', () => {
    assert.deepEqual(
      claimFormOptions({ ttl: '30m', shutdownPolicy: 'Retain', env: 'A=1,B=2', labels: 'team=ml', podLabels: 'app=x', podAnnotations: 'note=hello world' }),
      {
        options: {
          ttlSeconds: 1800,
          shutdownPolicy: 'Retain',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          labels: { team: 'ml' },
          podLabels: { app: 'x' },
          podAnnotations: { note: 'hello world' },
        },
      },
    );
    assert.deepEqual(claimFormOptions({}), { options: {} });
    assert.deepEqual(claimFormOptions({ ttl: '1h' }), { options: { ttlSeconds: 3600, shutdownPolicy: 'Delete' } });
  });
  it('names the field that is wrong', () => {
    assert.deepEqual(claimFormOptions({ ttl: 'later' }), { problem: 'TTL: Use a duration like 30m, 2h, 1h30m or 90s.' });
    assert.match((claimFormOptions({ podLabels: 'a=b c' }) as { problem: string }).problem, /^Pod labels: /);
  });
  it('describes what the options will do, warning that env means a cold start', () => {
    assert.equal(describeClaimForm({ ttl: '30m', env: 'A=1,B=2', labels: 'team=ml' }), 'TTL 30m (Delete) · 2 env vars (cold start) · labels team=ml');
    assert.equal(describeClaimForm({}), '');
  });
});

describe('env and the template policy', () => {
  it('only Allowed and Overrides accept claim env (the API default is Disallowed)', () => {
    const t = (policy?: string): KubeObject => ({ metadata: { name: 't' }, spec: policy ? { envVarsInjectionPolicy: policy } : {} });
    assert.equal(templateAllowsEnv(t('Allowed')), true);
    assert.equal(templateAllowsEnv(t('Overrides')), true);
    assert.equal(templateAllowsEnv(t('Disallowed')), false);
    assert.equal(templateAllowsEnv(t()), false);
    assert.equal(templateAllowsEnv(undefined), true);
  });
});
