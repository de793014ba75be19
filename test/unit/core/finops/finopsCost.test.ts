import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PRICES, formatMoney, Prices, sandboxCost, summarizeCost } from '../../../../src/core/finops/cost';
import { poolCostLine, poolStandingCost, summaryText, usageDescription, usageTooltip } from '../../../../src/core/finops/present';
import { formatCpu, formatSize, GiB, parseQuantity } from '../../../../src/core/finops/quantity';
import { podSpecRequests, sandboxRequests, sandboxStorage } from '../../../../src/core/finops/requests';
import type { KubeObject } from '../../../../src/core/model/objects';

const MiB = 2 ** 20;
const PRICES: Prices = { cpuHour: 0.04, memoryGiBHour: 0.005, storageGiBMonth: 0.1, currency: 'USD' };

function sandbox(opts: { running?: boolean; hibernated?: boolean; containers?: unknown[]; storage?: unknown; name?: string } = {}): KubeObject {
  const running = opts.running ?? !opts.hibernated;
  return {
    metadata: { name: opts.name ?? 'sb', namespace: 'demo' },
    spec: {
      operatingMode: opts.hibernated ? 'Suspended' : 'Running',
      podTemplate: { spec: { containers: opts.containers ?? [{ name: 'agent', resources: { requests: { cpu: '250m', memory: '256Mi' } } }] } },
      volumeClaimTemplates:
        opts.storage === undefined ? [] : [{ metadata: { name: 'workspace' }, spec: { resources: { requests: { storage: opts.storage } } } }],
    },
    status: {
      conditions: opts.hibernated
        ? [
            { type: 'Ready', status: 'False', reason: 'SandboxSuspended' },
            { type: 'Suspended', status: 'True' },
          ]
        : [{ type: 'Ready', status: running ? 'True' : 'False' }],
    },
  };
}

const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9 + 1e-12, `${what} ${actual} ≈ ${expected}`);

describe('Kubernetes quantities', () => {
  const cases: [unknown, number][] = [
    ['500m', 0.5],
    ['1.5', 1.5],
    ['2', 2],
    [2, 2],
    [0.25, 0.25],
    ['2Gi', 2 * GiB],
    ['512Mi', 512 * MiB],
    ['1Ki', 1024],
    ['1G', 1e9],
    ['1M', 1e6],
    ['1k', 1000],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1.5e-3', 0.0015],
    ['1E', 1e18],
    ['100n', 1e-7],
    ['10u', 1e-5],
    ['.5', 0.5],
    ['1.', 1],
    ['+2', 2],
    ['-1', -1],
    ['0', 0],
    [' 1Gi ', GiB],
  ];
  for (const [q, expected] of cases) it(`${JSON.stringify(q)} = ${expected}`, () => close(parseQuantity(q) as number, expected, String(q)));
  for (const bad of ['', 'abc', '1Gb', '1gi', '1 Gi', '1e', 'Gi', '1.2.3', undefined, null, {}, NaN, Infinity]) {
    it(`${JSON.stringify(bad) ?? 'undefined'} is not a quantity`, () => assert.equal(parseQuantity(bad), undefined));
  }
  it('formats sizes and CPUs for people', () => {
    assert.equal(formatSize(GiB), '1 GiB');
    assert.equal(formatSize(256 * MiB), '256 MiB');
    assert.equal(formatSize(1.5 * GiB), '1.5 GiB');
    assert.equal(formatCpu(0.25), '0.25 vCPU');
    assert.equal(formatCpu(2), '2 vCPU');
  });
});

describe('pod requests', () => {
  it('sums containers in every quantity form', () => {
    const r = podSpecRequests({
      containers: [
        { name: 'a', resources: { requests: { cpu: '500m', memory: '512Mi' } } },
        { name: 'b', resources: { requests: { cpu: '1.5', memory: '1G' } } },
        { name: 'c', resources: { requests: { cpu: 1, memory: '2Gi' } } },
        { name: 'd', resources: { requests: { cpu: '1e-1', memory: '1e3' } } },
      ],
    });
    close(r.cpu, 3.1, 'cpu');
    close(r.memory, 512 * MiB + 1e9 + 2 * GiB + 1000, 'memory');
    assert.deepEqual(r.missing, { cpu: [], memory: [] });
  });
  it('a limit without a request counts as the request; nothing at all is reported missing', () => {
    const r = podSpecRequests({
      containers: [
        { name: 'limited', resources: { limits: { cpu: '2', memory: '1Gi' } } },
        { name: 'bare' },
        { name: 'half', resources: { requests: { memory: '128Mi' } } },
      ],
    });
    close(r.cpu, 2);
    close(r.memory, GiB + 128 * MiB);
    assert.deepEqual(r.missing, { cpu: ['bare', 'half'], memory: ['bare'] });
  });
  it('init containers: the largest counts when it exceeds the app containers; sidecars add up', () => {
    const big = podSpecRequests({
      initContainers: [{ name: 'setup', resources: { requests: { cpu: '4', memory: '64Mi' } } }],
      containers: [{ name: 'app', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
    });
    close(big.cpu, 4, 'init peak cpu');
    close(big.memory, GiB, 'app memory');
    const sidecar = podSpecRequests({
      initContainers: [
        { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'setup', resources: { requests: { cpu: '200m' } } },
      ],
      containers: [{ name: 'app', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
      overhead: { cpu: '250m', memory: '0' },
    });
    close(sidecar.cpu, 1.1 + 0.25, 'app + sidecar + overhead');
    close(sidecar.memory, GiB + 64 * MiB);
  });
  it('reads a sandbox pod template and its volume claim templates', () => {
    const sb = sandbox({ storage: '10Gi' });
    close(sandboxRequests(sb).cpu, 0.25);
    close(sandboxRequests(sb).memory, 256 * MiB);
    assert.equal(sandboxStorage(sb), 10 * GiB);
    assert.equal(sandboxStorage(sandbox()), 0);
    assert.equal(sandboxStorage(sandbox({ storage: 'lots' })), 0, 'an unreadable size counts as nothing');
    assert.deepEqual(sandboxRequests({ metadata: { name: 'x' } }), { cpu: 0, memory: 0, missing: { cpu: [], memory: [] } });
  });
});

describe('cost', () => {
  it('running: CPU × vCPU-hour + memory × GiB-hour + storage', () => {
    const c = sandboxCost(sandbox({ storage: '73Gi', containers: [{ name: 'a', resources: { requests: { cpu: '2', memory: '4Gi' } } }] }), PRICES);
    close(c.computeHour, 2 * 0.04 + 4 * 0.005);
    close(c.storageHour, (73 * 0.1) / 730);
    close(c.perHour, 0.1 + 0.01);
    assert.ok(c.complete);
  });
  it('hibernated: only the PVC, per GiB-month', () => {
    const c = sandboxCost(sandbox({ hibernated: true, storage: '10Gi' }), PRICES);
    assert.equal(c.computeHour, 0);
    close(c.perHour, 1 / 730);
    close(c.runningHour, 0.25 * 0.04 + 0.25 * 0.005 + 1 / 730, 'what it would cost running');
  });
  it('missing requests: counted as zero and flagged incomplete', () => {
    const c = sandboxCost(sandbox({ containers: [{ name: 'agent' }] }), PRICES);
    assert.equal(c.computeHour, 0);
    assert.equal(c.complete, false);
    assert.match(usageTooltip(sandbox({ containers: [{ name: 'agent' }] }), {}, PRICES), /no CPU request in agent; no memory request in agent/);
  });
  it('summarizes running, hibernated and the hourly total', () => {
    const all = [
      sandbox({ name: 'a', storage: '1Gi' }),
      sandbox({ name: 'b', storage: '1Gi' }),
      sandbox({ name: 'c', storage: '1Gi', containers: [{ name: 'x' }] }),
      sandbox({ name: 'd', hibernated: true, storage: '5Gi' }),
      sandbox({ name: 'e', running: false }),
    ];
    const s = summarizeCost(all, PRICES);
    assert.equal(s.running, 3);
    assert.equal(s.hibernated, 1);
    assert.equal(s.transitioning, 1, 'a starting sandbox holds its requests');
    assert.equal(s.incomplete, 1);
    const compute = 3 * (0.25 * 0.04 + 0.25 * 0.005);
    close(s.computeHour, compute);
    close(s.perHour, compute + (8 * 0.1) / 730);
    assert.equal(summaryText(s, 'USD'), `3 running · 1 hibernated · ${formatMoney(s.perHour, 'USD')}/h`);
    assert.match(poolCostLine(all.slice(0, 2), PRICES), /Standing cost: ~\$0\.023\/h for 2 members/);
    assert.equal(poolStandingCost([all[0]], PRICES), '~$0.011/h for 1 member ≈ $8.31/month');
  });
  it('formats money with enough digits for small amounts, in the chosen currency', () => {
    assert.equal(formatMoney(0.42, 'USD'), '$0.42');
    assert.equal(formatMoney(0.0129, 'USD'), '$0.013');
    assert.equal(formatMoney(0.00486, 'USD'), '$0.0049');
    assert.equal(formatMoney(0, 'USD'), '$0');
    assert.equal(formatMoney(1234.5, 'USD'), '$1,234.50');
    assert.equal(formatMoney(0.42, 'EUR'), '€0.42');
    assert.equal(formatMoney(0.42, 'not a currency'), '0.42 not a currency');
  });
  it('has sensible defaults', () => {
    assert.ok(DEFAULT_PRICES.cpuHour > 0 && DEFAULT_PRICES.memoryGiBHour > 0 && DEFAULT_PRICES.storageGiBMonth > 0);
    assert.equal(DEFAULT_PRICES.currency, 'USD');
  });
});

describe('usage text', () => {
  it('describes idle time only for running sandboxes this window used', () => {
    assert.equal(usageDescription(sandbox(), { idleMs: 42 * 60_000 + 5000 }), 'idle for 42 min');
    assert.equal(usageDescription(sandbox(), { idleMs: 10_000 }), 'in use');
    assert.equal(usageDescription(sandbox(), {}), undefined);
    assert.equal(usageDescription(sandbox({ hibernated: true }), { idleMs: 42 * 60_000 }), undefined);
    assert.equal(usageDescription(sandbox({ hibernated: true }), { idleMs: 42 * 60_000, autoHibernated: true }), 'auto-hibernated');
  });
  it('tooltip: activity, the last kind, and cost', () => {
    const t = usageTooltip(sandbox({ storage: '1Gi' }), { idleMs: 3 * 3600_000 + 5 * 60_000, lastKind: 'file-write' }, PRICES);
    assert.match(t, /idle for 3 h 5 min \(last: file write\)/);
    assert.match(t, /Cost: ~\$0\.011\/h \(0\.25 vCPU, 256 MiB requested\)/);
    assert.match(t, /Storage: 1 GiB ≈ \$0\.10\/month/);
    assert.match(usageTooltip(sandbox(), {}, PRICES), /none \(auto-hibernate never touches it\)/);
    assert.match(usageTooltip(sandbox({ hibernated: true }), { autoHibernated: true }, PRICES), /Hibernated automatically/);
  });
});
