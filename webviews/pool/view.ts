// The warm pool panel's render code: a PoolSnapshot in, a View tree out (no DOM, so it is tested
// in plain Node); main.ts owns the state, the scale request and mounting.
import type { ClaimLatencyView, PoolProtocol, PoolSnapshot } from '../../src/shared/poolProtocol';
import type { ViewClient } from '../../src/shared/protocol';
import { ago, clock, duration } from '../shared/time';
import { h, View } from '../shared/view';
import { historyChart } from './chart';

/** What a render needs besides the snapshot: the page's state and where its controls go. */
export interface PoolUi {
  /** What the user typed in the Desired field since the last successful scale. */
  typed?: string | undefined;
  scaling: boolean;
  message?: { text: string; error: boolean } | undefined;
  now: number;
  command: ViewClient<PoolProtocol>['command'];
  type(value: string): void;
  /** Scale to the field's value. */
  scale(): void;
}

/** The replicas a Desired field asks for, or undefined when it is not a whole number from 0 to 1000. */
export function parseReplicas(value: string): number | undefined {
  const v = value.trim();
  return /^\d+$/.test(v) && Number(v) <= 1000 ? Number(v) : undefined;
}

function summary(s: PoolSnapshot): View {
  const tone = s.ready >= s.desired ? 'good' : s.ready === 0 && s.desired > 0 ? 'bad' : 'warn';
  return h(
    'dl',
    { class: 'kv' },
    h('dt', {}, 'Ready'),
    h(
      'dd',
      {},
      h('span', { class: `badge ${tone}`, id: 'ready' }, `${s.ready} / ${s.desired}`),
      h('span', { class: 'muted' }, ` desired · ${s.current} members`),
    ),
    h('dt', {}, 'Template'),
    h('dd', {}, s.template ? [s.template.name, s.template.exists ? '' : ' (not found)'] : '—'),
    h('dt', {}, 'Runtime'),
    h(
      'dd',
      {},
      s.template
        ? [
            h('span', { class: `badge ${s.template.isolated ? 'good' : 'bad'}` }, s.template.runtime),
            s.template.runtimeClassName ? h('span', { class: 'muted mono' }, ` ${s.template.runtimeClassName}`) : '',
          ]
        : '—',
    ),
    h('dt', {}, 'Update strategy'),
    h('dd', {}, s.updateStrategy ?? 'OnReplenish (default)'),
  );
}

function scaleControl(s: PoolSnapshot, ui: PoolUi): View {
  // What the field shows is what Scale sends: main.ts keeps the typed text through `ui.type`.
  const input = h('input', {
    id: 'desired',
    type: 'number',
    min: '0',
    max: '1000',
    value: ui.typed ?? String(s.desired),
    'aria-label': 'Desired replicas',
    oninput: (e: Event) => ui.type((e.target as HTMLInputElement).value),
    onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && ui.scale(),
  });
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'Desired ', input),
      h('button', { disabled: ui.scaling || s.gone, onclick: () => ui.scale() }, ui.scaling ? 'Scaling…' : 'Scale'),
    ),
    ui.message ? h('div', { class: ui.message.error ? 'callout error' : 'muted', role: ui.message.error ? 'alert' : 'status' }, ui.message.text) : undefined,
  );
}

function claimRow(c: ClaimLatencyView, ui: PoolUi): View {
  const source =
    c.source === 'watch'
      ? 'measured by this panel'
      : c.source === 'annotation'
        ? 'recorded by the controller'
        : c.source === 'condition'
          ? 'from the Ready condition (1 s resolution)'
          : '';
  return h(
    'tr',
    {},
    h('td', {}, h('button', { class: 'link', onclick: () => ui.command('openClaim', { name: c.claim }) }, c.claim)),
    h(
      'td',
      {},
      c.sandbox
        ? h('button', { class: 'link', onclick: () => ui.command('openSandbox', { name: c.sandbox as string }) }, c.sandbox)
        : h('span', { class: 'muted' }, 'not bound'),
    ),
    h('td', {}, c.launch ? h('span', { class: `badge ${c.launch === 'warm' ? 'good' : 'warn'}` }, c.launch) : ''),
    h('td', { title: source }, c.timeToReadyMs !== undefined ? duration(c.timeToReadyMs) : c.status),
    h('td', { title: clock(c.createdAt) }, ago(c.createdAt, ui.now)),
  );
}

function claims(s: PoolSnapshot, ui: PoolUi): View {
  if (s.claims.length === 0) return h('p', { class: 'muted' }, 'No claims from this pool yet.');
  return h(
    'table',
    { class: 'stack' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Claim'), h('th', {}, 'Sandbox'), h('th', {}, 'Launch'), h('th', {}, 'Time to Ready'), h('th', {}, 'Created'))),
    h(
      'tbody',
      {},
      s.claims.map((c) => claimRow(c, ui)),
    ),
  );
}

function members(s: PoolSnapshot, ui: PoolUi): View {
  if (s.members.length === 0) return h('p', { class: 'muted' }, 'No idle members.');
  return h(
    'ul',
    { class: 'members' },
    s.members.map((m) =>
      h(
        'li',
        {},
        h('button', { class: 'link', onclick: () => ui.command('openSandbox', { name: m.name }) }, m.name),
        h('span', { class: 'muted' }, ` ${m.state}`),
      ),
    ),
  );
}

export function poolView(s: PoolSnapshot, ui: PoolUi): View[] {
  const now = ui.now;
  const parts: (View | undefined)[] = [
    h('h1', {}, s.name, s.gone ? h('span', { class: 'badge bad' }, ' Deleted') : ''),
    h('div', { class: 'muted' }, `Warm pool · ${s.namespace} · ${s.context}`),
    s.ready === 0 && s.desired > 0
      ? h('div', { class: 'callout', role: 'note' }, 'No ready sandbox: new claims start cold until the pool refills.')
      : undefined,
    h('section', {}, h('h2', {}, 'Health'), summary(s)),
    h(
      'section',
      {},
      h('h2', {}, 'Ready vs desired'),
      historyChart(s.history, s.collectingSince, now),
      h(
        'div',
        { class: 'legend muted' },
        h('span', { class: 'key ready' }, 'ready'),
        ' ',
        h('span', { class: 'key desired' }, 'desired'),
        ` · collected since the panel opened (${ago(new Date(s.collectingSince).toISOString(), now)})`,
      ),
    ),
    h('section', {}, h('h2', {}, 'Scale'), scaleControl(s, ui)),
    h('section', {}, h('h2', {}, 'Recent claims'), claims(s, ui)),
    h('section', {}, h('h2', {}, 'Idle members'), members(s, ui)),
  ];
  return parts.filter((v): v is View => v !== undefined);
}
