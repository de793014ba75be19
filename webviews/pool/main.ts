// The warm pool panel: ready vs desired over time, recent claims and their time to Ready, scale.
import '../shared/base.css';
import './pool.css';
import type { ClaimLatencyView, PoolProtocol, PoolSnapshot } from '../../src/shared/poolProtocol';
import { h, render } from '../shared/dom';
import { ago, clock, duration } from '../shared/time';
import { connect } from '../shared/vscodeApi';
import { historyChart } from './chart';

const app = document.getElementById('app') as HTMLElement;
let current: PoolSnapshot | undefined;
let scaleMessage: { text: string; error: boolean } | undefined;
let scaling = false;
/** The scale field keeps what the user typed across re-renders. */
let typed: string | undefined;

const client = connect<PoolProtocol>({
  snapshot: (s) => {
    current = s;
    draw();
  },
});

// Redraw the chart's time axis once in a while even when nothing changes.
setInterval(() => current && draw(), 5000);

async function scale(value: string): Promise<void> {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n > 1000) {
    scaleMessage = { text: 'Enter a whole number from 0 to 1000.', error: true };
    return draw();
  }
  scaling = true;
  scaleMessage = undefined;
  draw();
  try {
    const r = await client.request('scale', { replicas: n });
    scaleMessage = { text: `Desired replicas set to ${r.desired}.`, error: false };
    typed = undefined;
  } catch (err) {
    scaleMessage = { text: (err as Error).message, error: true };
  } finally {
    scaling = false;
    draw();
  }
}

function summary(s: PoolSnapshot): HTMLElement {
  const tone = s.ready >= s.desired ? 'good' : s.ready === 0 && s.desired > 0 ? 'bad' : 'warn';
  return h(
    'dl',
    { class: 'kv' },
    h('dt', {}, 'Ready'),
    h('dd', {}, h('span', { class: `badge ${tone}`, id: 'ready' }, `${s.ready} / ${s.desired}`), h('span', { class: 'muted' }, ` desired · ${s.current} members`)),
    h('dt', {}, 'Template'),
    h('dd', {}, s.template ? [s.template.name, s.template.exists ? '' : ' (not found)'] : '—'),
    h('dt', {}, 'Runtime'),
    h('dd', {}, s.template ? [h('span', { class: `badge ${s.template.isolated ? 'good' : 'bad'}` }, s.template.runtime), s.template.runtimeClassName ? h('span', { class: 'muted mono' }, ` ${s.template.runtimeClassName}`) : ''] : '—'),
    h('dt', {}, 'Update strategy'),
    h('dd', {}, s.updateStrategy ?? 'OnReplenish (default)'),
  );
}

function scaleControl(s: PoolSnapshot): HTMLElement {
  const input = h('input', { id: 'desired', type: 'number', min: '0', max: '1000', value: typed ?? String(s.desired), 'aria-label': 'Desired replicas', oninput: () => (typed = input.value), onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && void scale(input.value) });
  return h(
    'div',
    {},
    h('div', { class: 'toolbar' }, h('label', {}, 'Desired ', input), h('button', { disabled: scaling || s.gone, onclick: () => void scale(input.value) }, scaling ? 'Scaling…' : 'Scale')),
    scaleMessage ? h('div', { class: scaleMessage.error ? 'callout error' : 'muted', role: scaleMessage.error ? 'alert' : 'status' }, scaleMessage.text) : undefined,
  );
}

function claimRow(c: ClaimLatencyView): HTMLElement {
  const source = c.source === 'watch' ? 'measured by this panel' : c.source === 'annotation' ? 'recorded by the controller' : c.source === 'condition' ? 'from the Ready condition (1 s resolution)' : '';
  return h(
    'tr',
    {},
    h('td', {}, h('button', { class: 'link', onclick: () => client.command('openClaim', { name: c.claim }) }, c.claim)),
    h('td', {}, c.sandbox ? h('button', { class: 'link', onclick: () => client.command('openSandbox', { name: c.sandbox as string }) }, c.sandbox) : h('span', { class: 'muted' }, 'not bound')),
    h('td', {}, c.launch ? h('span', { class: `badge ${c.launch === 'warm' ? 'good' : 'warn'}` }, c.launch) : ''),
    h('td', { title: source }, c.timeToReadyMs !== undefined ? duration(c.timeToReadyMs) : c.status),
    h('td', { title: clock(c.createdAt) }, ago(c.createdAt)),
  );
}

function claims(s: PoolSnapshot): HTMLElement {
  if (s.claims.length === 0) return h('p', { class: 'muted' }, 'No claims from this pool yet.');
  return h(
    'table',
    { class: 'stack' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Claim'), h('th', {}, 'Sandbox'), h('th', {}, 'Launch'), h('th', {}, 'Time to Ready'), h('th', {}, 'Created'))),
    h('tbody', {}, s.claims.map(claimRow)),
  );
}

function members(s: PoolSnapshot): HTMLElement {
  if (s.members.length === 0) return h('p', { class: 'muted' }, 'No idle members.');
  return h('ul', { class: 'members' }, s.members.map((m) => h('li', {}, h('button', { class: 'link', onclick: () => client.command('openSandbox', { name: m.name }) }, m.name), h('span', { class: 'muted' }, ` ${m.state}`))));
}

function draw(): void {
  const s = current;
  if (!s) return;
  const now = Date.now();
  render(
    app,
    h('h1', {}, s.name, s.gone ? h('span', { class: 'badge bad' }, ' Deleted') : ''),
    h('div', { class: 'muted' }, `Warm pool · ${s.namespace} · ${s.context}`),
    s.ready === 0 && s.desired > 0 ? h('div', { class: 'callout', role: 'note' }, 'No ready sandbox: new claims start cold until the pool refills.') : undefined,
    h('section', {}, h('h2', {}, 'Health'), summary(s)),
    h('section', {}, h('h2', {}, 'Ready vs desired'), historyChart(s.history, s.collectingSince, now), h('div', { class: 'legend muted' }, h('span', { class: 'key ready' }, 'ready'), ' ', h('span', { class: 'key desired' }, 'desired'), ` · collected since the panel opened (${ago(new Date(s.collectingSince).toISOString(), now)})`)),
    h('section', {}, h('h2', {}, 'Scale'), scaleControl(s)),
    h('section', {}, h('h2', {}, 'Recent claims'), claims(s)),
    h('section', {}, h('h2', {}, 'Idle members'), members(s)),
  );
}
