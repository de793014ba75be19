// The webviews' render code (details, pool, the pool chart, the log controls) in plain Node: a
// snapshot in, a View tree out; buttons are fired to check the message they send. What the DOM
// makes of a tree (webviews/shared/dom.ts) is left to the e2e journeys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DetailsSnapshot } from '../../../src/shared/detailsProtocol';
import type { PoolSnapshot } from '../../../src/shared/poolProtocol';
import { countdown, DetailsUi, detailsView } from '../../../webviews/details/view';
import { canReconnect, controlsView, markerText } from '../../../webviews/logs/controls';
import { historyChart } from '../../../webviews/pool/chart';
import { parseReplicas, PoolUi, poolView } from '../../../webviews/pool/view';
import { h, svg } from '../../../webviews/shared/view';
import { attr, button, find, findAll, fire, tag, text } from '../support/viewQuery';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function snapshot(over: Partial<DetailsSnapshot> = {}): DetailsSnapshot {
  return {
    context: 'kind-dev',
    namespace: 'team-a',
    name: 'sb1',
    gone: false,
    state: 'Running',
    conditions: [{ type: 'Ready', status: 'True', reason: 'PodReady', time: minutesAgo(5) }],
    lineage: {
      pool: { ref: { kind: 'SandboxWarmPool', namespace: 'team-a', name: 'warm' }, exists: true },
      claim: { ref: { kind: 'SandboxClaim', namespace: 'team-a', name: 'c1' }, exists: false },
      sandbox: { ref: { kind: 'Sandbox', namespace: 'team-a', name: 'sb1' }, exists: true },
      pvcs: [],
    },
    launch: { type: 'warm', timeToReadyMs: 1500 },
    isolation: { runtime: 'gVisor', isolated: true, runtimeClassName: 'gvisor' },
    placement: { node: 'node-1', podIPs: ['10.0.0.5'] },
    lifecycle: { shutdownTime: new Date(NOW + 90_000).toISOString() },
    events: [{ type: 'Warning', reason: 'BackOff', message: 'restarting', count: 3, time: minutesAgo(1), object: 'Pod/sb1' }],
    actions: [
      { id: 'hibernate', label: 'Hibernate', enabled: true },
      { id: 'resume', label: 'Resume', enabled: false, why: 'already running' },
      { id: 'delete', label: 'Delete…', enabled: true },
    ],
    ...over,
  };
}

function detailsUi(over: Partial<DetailsUi> = {}) {
  const sent: { method: string; params: unknown }[] = [];
  let cleared = 0;
  const ui: DetailsUi = { now: NOW, command: (method, params) => void sent.push({ method, params }), clearError: () => void cleared++, ...over };
  return { ui, sent, cleared: () => cleared };
}

describe('details panel render', () => {
  it('heads with the name and a state badge in its tone; a deleted sandbox says so', () => {
    const { ui } = detailsUi();
    assert.equal(find(detailsView(snapshot(), ui), attr('id', 'state')).attrs['class'], 'badge good');
    assert.equal(find(detailsView(snapshot({ state: 'Failed' }), ui), attr('id', 'state')).attrs['class'], 'badge bad');
    assert.equal(find(detailsView(snapshot({ state: 'Hibernated' }), ui), attr('id', 'state')).attrs['class'], 'badge info');
    assert.equal(text(find(detailsView(snapshot({ gone: true }), ui), attr('id', 'state'))), 'Deleted');
    assert.match(text(find(detailsView(snapshot(), ui), tag('header'))), /^sb1 Running/);
  });

  it('an action button sends its action and clears the last error; disabled ones say why', () => {
    const { ui, sent, cleared } = detailsUi({ error: 'Hibernate failed: forbidden' });
    const tree = detailsView(snapshot(), ui);
    assert.equal(text(find(tree, attr('role', 'alert'))), 'Hibernate failed: forbidden');
    const hibernate = find(tree, attr('data-action', 'hibernate'));
    assert.equal(hibernate.attrs['disabled'], false);
    fire(hibernate, 'click');
    assert.deepEqual(sent, [{ method: 'action', params: { action: 'hibernate' } }]);
    assert.equal(cleared(), 1);
    const resume = find(tree, attr('data-action', 'resume'));
    assert.equal(resume.attrs['disabled'], true);
    assert.equal(resume.attrs['title'], 'already running');
    assert.equal(find(tree, attr('data-action', 'delete')).attrs['class'], 'secondary danger');
  });

  it('a deleted sandbox disables every action', () => {
    const { ui } = detailsUi();
    const tree = detailsView(snapshot({ gone: true }), ui);
    assert.ok(findAll(tree, attr('data-action')).every((b) => b.attrs['disabled'] === true));
  });

  it('lineage links open what exists and mark what is missing', () => {
    const { ui, sent } = detailsUi();
    const tree = detailsView(snapshot(), ui);
    const lineage = find(tree, attr('class', 'lineage'));
    assert.deepEqual(findAll(lineage, tag('li')).map(text), ['Warm poolwarm', 'Claimc1 (not found)', 'Sandboxsb1']);
    assert.equal(findAll(lineage, button('c1')).length, 0, 'a missing claim is no button');
    fire(find(lineage, button('warm')), 'click');
    assert.deepEqual(sent, [{ method: 'open', params: { ref: { kind: 'SandboxWarmPool', namespace: 'team-a', name: 'warm' } } }]);
  });

  it('the shutdown countdown and ages are relative to the render time', () => {
    const { ui } = detailsUi();
    const tree = detailsView(snapshot(), ui);
    assert.equal(text(find(tree, attr('id', 'countdown'))), 'in 90 s');
    assert.equal(countdown(minutesAgo(3), NOW), 'passed 3m 0s ago');
    const warning = find(tree, (v) => v.tag === 'tr' && v.attrs['class'] === 'warning');
    assert.match(text(warning), /^60 s ago ×3WarningBackOffPod\/sb1restarting$/);
  });

  it('events that could not be read show why instead of a table', () => {
    const { ui } = detailsUi();
    const tree = detailsView(snapshot({ eventsError: 'events: forbidden' }), ui);
    assert.equal(findAll(tree, attr('class', 'stack events')).length, 0);
    assert.ok(findAll(tree, (v) => v.tag === 'p' && text(v) === 'events: forbidden').length === 1);
  });

  it('reach: a port has Preview and Forward while running, disabled otherwise', () => {
    const reach = { router: 'reachable at https://r/', routerTone: 'ok' as const, ports: [{ port: 8080, label: 'python3 · 0.0.0.0', podLocal: false }] };
    const { ui, sent } = detailsUi();
    const tree = detailsView(snapshot({ reach }), ui);
    fire(find(tree, attr('data-port-action', 'preview-8080')), 'click');
    fire(find(tree, attr('data-port-action', 'forward-8080')), 'click');
    assert.deepEqual(sent, [
      { method: 'action', params: { action: 'preview', port: 8080 } },
      { method: 'action', params: { action: 'forwardPort', port: 8080 } },
    ]);
    const stopped = detailsView(snapshot({ reach, state: 'Hibernated' }), ui);
    assert.equal(find(stopped, attr('data-port-action', 'preview-8080')).attrs['disabled'], true);
    const none = detailsView(snapshot({ reach: { ...reach, ports: [], portsNote: 'not running' } }), ui);
    assert.equal(text(find(none, attr('id', 'ports'))), 'not running');
    assert.equal(
      findAll(detailsView(snapshot(), ui), (v) => v.tag === 'section' && v.attrs['aria-label'] === 'Reach').length,
      0,
      'no Reach section without reach',
    );
  });
});

function pool(over: Partial<PoolSnapshot> = {}): PoolSnapshot {
  return {
    context: 'kind-dev',
    namespace: 'team-a',
    name: 'warm',
    gone: false,
    ready: 2,
    desired: 3,
    current: 3,
    template: { name: 'python', exists: true, runtime: 'gVisor', isolated: true },
    history: [
      { t: NOW - 60_000, ready: 1, desired: 3 },
      { t: NOW - 30_000, ready: 2, desired: 3 },
    ],
    collectingSince: NOW - 60_000,
    claims: [
      { claim: 'c1', sandbox: 'sb1', launch: 'warm', timeToReadyMs: 800, source: 'watch', createdAt: minutesAgo(2), status: 'Ready' },
      { claim: 'c2', status: 'Pending' },
    ],
    members: [{ name: 'm1', state: 'Running' }],
    ...over,
  };
}

function poolUi(over: Partial<PoolUi> = {}) {
  const sent: { method: string; params: unknown }[] = [];
  const typed: string[] = [];
  let scaled = 0;
  const ui: PoolUi = {
    scaling: false,
    now: NOW,
    command: (method, params) => void sent.push({ method, params }),
    type: (v) => void typed.push(v),
    scale: () => void scaled++,
    ...over,
  };
  return { ui, sent, typed, scaled: () => scaled };
}

describe('pool panel render', () => {
  it('shows ready of desired in a tone, and warns when nothing is ready', () => {
    const { ui } = poolUi();
    assert.equal(find(poolView(pool(), ui), attr('id', 'ready')).attrs['class'], 'badge warn');
    assert.equal(find(poolView(pool({ ready: 3 }), ui), attr('id', 'ready')).attrs['class'], 'badge good');
    const empty = poolView(pool({ ready: 0 }), ui);
    assert.equal(find(empty, attr('id', 'ready')).attrs['class'], 'badge bad');
    assert.match(text(find(empty, attr('role', 'note'))), /start cold/);
    assert.equal(findAll(poolView(pool(), ui), attr('role', 'note')).length, 0);
  });

  it('the Desired field shows what was typed, else the desired count; typing, Enter and Scale reach the page', () => {
    const { ui, typed, scaled } = poolUi();
    const input = find(poolView(pool(), ui), attr('id', 'desired'));
    assert.equal(input.attrs['value'], '3');
    assert.equal(find(poolView(pool(), { ...ui, typed: '7' }), attr('id', 'desired')).attrs['value'], '7');
    fire(input, 'input', { target: { value: '5' } as unknown as EventTarget });
    assert.deepEqual(typed, ['5']);
    fire(input, 'keydown', { key: 'a' });
    assert.equal(scaled(), 0);
    fire(input, 'keydown', { key: 'Enter' });
    fire(find(poolView(pool(), ui), button('Scale')), 'click');
    assert.equal(scaled(), 2);
  });

  it('while scaling the button waits; a deleted pool cannot be scaled; the result is shown', () => {
    const { ui } = poolUi();
    assert.equal(find(poolView(pool(), { ...ui, scaling: true }), button('Scaling…')).attrs['disabled'], true);
    assert.equal(find(poolView(pool({ gone: true }), ui), button('Scale')).attrs['disabled'], true);
    const failed = poolView(pool(), { ...ui, message: { text: 'forbidden', error: true } });
    assert.equal(find(failed, attr('role', 'alert')).attrs['class'], 'callout error');
  });

  it('claim rows open the claim and its sandbox; an unbound claim says so', () => {
    const { ui, sent } = poolUi();
    const tree = poolView(pool(), ui);
    const rows = findAll(find(tree, tag('tbody')), tag('tr'));
    assert.deepEqual(rows.map(text), ['c1sb1warm0.8 s2m 0s ago', 'c2not boundPending']);
    fire(find(rows[0], button('c1')), 'click');
    fire(find(rows[0], button('sb1')), 'click');
    fire(find(find(tree, attr('class', 'members')), button('m1')), 'click');
    assert.deepEqual(sent, [
      { method: 'openClaim', params: { name: 'c1' } },
      { method: 'openSandbox', params: { name: 'sb1' } },
      { method: 'openSandbox', params: { name: 'm1' } },
    ]);
    assert.equal(text(find(poolView(pool({ claims: [] }), ui), (v) => v.tag === 'p' && /No claims/.test(text(v)))), 'No claims from this pool yet.');
  });

  it('parses the Desired field: whole numbers from 0 to 1000 only', () => {
    assert.equal(parseReplicas(' 12 '), 12);
    assert.equal(parseReplicas('0'), 0);
    assert.equal(parseReplicas('1000'), 1000);
    for (const bad of ['1001', '-1', '1.5', '', 'abc', '1e3']) assert.equal(parseReplicas(bad), undefined, bad);
  });
});

describe('pool history chart', () => {
  it('draws ready and desired as step lines up to now, with a title naming the last sample', () => {
    const chart = historyChart(pool().history, NOW - 60_000, NOW);
    assert.equal(chart.tag, 'svg');
    assert.ok(
      findAll(chart, () => true).every((v) => v.svg),
      'every element in the SVG namespace',
    );
    assert.equal(text(find(chart, tag('title'))), 'Ready 2 of 3 desired');
    assert.equal(chart.children[0] && typeof chart.children[0] !== 'string' && chart.children[0].tag, 'title', 'the title comes first');
    const ready = find(chart, attr('class', 'ready')).attrs['d'] as string;
    // x runs from 28 (the first sample) to 592 (now); y from 122 (0) to 8 (the max, 3).
    assert.equal(ready, 'M 28 84 H 310 V 46 H 592');
    assert.equal(find(chart, attr('class', 'desired')).attrs['d'], 'M 28 8 H 310 V 8 H 592');
    assert.deepEqual(findAll(chart, tag('text')).map(text), ['0', '3']);
  });

  it('has no lines before the first sample', () => {
    const chart = historyChart([], NOW - 1000, NOW);
    assert.equal(text(find(chart, tag('title'))), 'No samples yet');
    assert.equal(find(chart, attr('class', 'ready')).attrs['d'], '');
  });
});

describe('log panel controls', () => {
  it('reflect the options and report each change', () => {
    const changes: unknown[] = [];
    const tree = controlsView({ follow: true, timestamps: false, tailLines: 1000 }, ['main'], (c) => changes.push(c));
    const boxes = findAll(tree, (v) => v.tag === 'input' && v.attrs['type'] === 'checkbox');
    assert.deepEqual(
      boxes.map((b) => b.attrs['checked']),
      [true, false],
    );
    const [tail, since] = findAll(tree, tag('select'));
    assert.deepEqual(
      findAll(tail, tag('option'))
        .filter((o) => o.attrs['selected'])
        .map(text),
      ['last 1000'],
    );
    assert.deepEqual(
      findAll(since, tag('option'))
        .filter((o) => o.attrs['selected'])
        .map(text),
      ['any time'],
    );
    fire(boxes[1], 'change', { target: { checked: true } as unknown as EventTarget });
    fire(tail, 'change', { target: { selectedIndex: 3 } as unknown as EventTarget });
    fire(since, 'change', { target: { selectedIndex: 1 } as unknown as EventTarget });
    assert.deepEqual(changes, [{ timestamps: true }, { tailLines: undefined }, { sinceSeconds: 300 }]);
    assert.equal(findAll(tree, attr('aria-label', 'Container')).length, 0, 'no container choice for one container');
  });

  it('offer a container choice for several containers', () => {
    const changes: unknown[] = [];
    const tree = controlsView({ follow: true, timestamps: false, container: 'sidecar' }, ['main', 'sidecar'], (c) => changes.push(c));
    const select = find(tree, attr('aria-label', 'Container'));
    assert.deepEqual(
      findAll(select, tag('option'))
        .filter((o) => o.attrs['selected'])
        .map(text),
      ['sidecar'],
    );
    fire(select, 'change', { target: { value: 'main' } as unknown as EventTarget });
    assert.deepEqual(changes, [{ container: 'main' }]);
  });

  it('markers are bold and coloured by tone; Reconnect shows once the stream stopped', () => {
    assert.equal(markerText('pod restarted', 'warning'), '\r\n\x1b[1;33m── pod restarted ──\x1b[0m\r\n');
    assert.deepEqual((['connecting', 'streaming', 'waiting', 'retrying', 'ended', 'failed'] as const).filter(canReconnect), ['retrying', 'ended', 'failed']);
  });
});

describe('view builder', () => {
  it('drops empty children, stringifies numbers and flattens lists; svg() stringifies attributes', () => {
    const v = h('p', { hidden: true }, 'a', 1, undefined, false, null, ['b', h('b', {}, 'c')]);
    assert.deepEqual(
      v.children.map((c) => (typeof c === 'string' ? c : c.tag)),
      ['a', '1', 'b', 'b'],
    );
    assert.equal(text(v), 'a1bc');
    assert.deepEqual(svg('line', { x1: 1.5 }).attrs, { x1: '1.5' });
  });
});
