// The sandbox details panel's render code: a DetailsSnapshot in, a View tree out (no DOM, so it is
// tested in plain Node); main.ts owns the state and mounts the result.
import type { ConditionView, DetailsProtocol, DetailsSnapshot, EventView, LineageLink } from '../../src/shared/detailsProtocol';
import type { ViewClient } from '../../src/shared/protocol';
import { ago, clock, duration } from '../shared/time';
import { h, View } from '../shared/view';

/** What a render needs besides the snapshot: the page's state and where its buttons go. */
export interface DetailsUi {
  /** A failed action's message, shown under the header until the next action. */
  error?: string | undefined;
  now: number;
  command: ViewClient<DetailsProtocol>['command'];
  clearError(): void;
}

/** The shutdown time as a countdown (main.ts ticks it locally every second). */
export function countdown(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  return Number.isNaN(ms) ? iso : ms > 0 ? `in ${duration(ms)}` : `passed ${duration(-ms)} ago`;
}

function stateTone(state: string): string {
  switch (state) {
    case 'Running':
      return 'good';
    case 'Failed':
      return 'bad';
    case 'Hibernated':
    case 'Hibernating':
      return 'info';
    case 'Expired':
    case 'Finished':
      return '';
    default:
      return 'warn';
  }
}

function conditionTone(c: ConditionView): string {
  if (c.status === 'True') return c.type === 'Finished' || c.type === 'Suspended' ? 'info' : 'good';
  if (c.status === 'Unknown') return 'warn';
  return c.type === 'Suspended' ? '' : 'warn';
}

function link(l: LineageLink | undefined, label: string, ui: DetailsUi): View | undefined {
  if (!l) return undefined;
  const text = `${l.ref.name}`;
  const node = l.exists
    ? h('button', { class: 'link', title: `Open ${l.ref.kind} ${l.ref.name}`, onclick: () => ui.command('open', { ref: l.ref }) }, text)
    : h('span', { class: 'muted', title: 'not found' }, `${text} (not found)`);
  return h('li', {}, h('span', { class: 'kind' }, label), node, l.note ? h('span', { class: 'muted note' }, ` ${l.note}`) : undefined);
}

function header(s: DetailsSnapshot, ui: DetailsUi): View {
  return h(
    'header',
    {},
    h('h1', {}, s.name, ' ', h('span', { class: `badge ${stateTone(s.state)}`, id: 'state' }, s.gone ? 'Deleted' : s.state)),
    h('div', { class: 'muted' }, `Sandbox · ${s.namespace} · ${s.context}`),
    s.stateDetail ? h('p', { class: 'detail' }, s.stateDetail) : undefined,
    ui.error ? h('div', { class: 'callout error', role: 'alert' }, ui.error) : undefined,
  );
}

function actions(s: DetailsSnapshot, ui: DetailsUi): View {
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Actions' },
    s.actions.map((a) =>
      h(
        'button',
        {
          class: a.id === 'delete' ? 'secondary danger' : a.id === 'hibernate' || a.id === 'resume' ? '' : 'secondary',
          disabled: !a.enabled || s.gone,
          title: a.why,
          'data-action': a.id,
          onclick: () => {
            ui.clearError();
            ui.command('action', { action: a.id });
          },
        },
        a.label,
      ),
    ),
  );
}

function conditions(s: DetailsSnapshot, ui: DetailsUi): View {
  if (s.conditions.length === 0) return h('p', { class: 'muted' }, 'No conditions reported yet.');
  return h(
    'table',
    { class: 'stack conditions' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'Status'), h('th', {}, 'Reason'), h('th', {}, 'Message'), h('th', {}, 'Since'))),
    h(
      'tbody',
      {},
      s.conditions.map((c) =>
        h(
          'tr',
          { 'data-condition': c.type },
          h('td', {}, h('strong', {}, c.type)),
          h('td', {}, h('span', { class: `badge ${conditionTone(c)}` }, c.status)),
          h('td', {}, c.reason ?? ''),
          h('td', {}, c.message ?? '', c.stale ? h('span', { class: 'muted' }, ' (for an older spec)') : undefined),
          h('td', { title: clock(c.time) }, ago(c.time, ui.now)),
        ),
      ),
    ),
  );
}

function lineage(s: DetailsSnapshot, ui: DetailsUi): View {
  const l = s.lineage;
  return h(
    'ol',
    { class: 'lineage' },
    link(l.template, 'Template', ui),
    link(l.pool, 'Warm pool', ui),
    link(l.claim, 'Claim', ui),
    link(l.sandbox, 'Sandbox', ui),
    link(l.pod, 'Pod', ui),
    link(l.service, 'Service', ui),
    l.pvcs.map((p) => link(p, 'PVC', ui)),
  );
}

function launch(s: DetailsSnapshot, ui: DetailsUi): View {
  const items: (View | undefined)[] = [];
  items.push(
    h('dt', {}, 'Launch'),
    h('dd', {}, s.launch.type ? (s.launch.type === 'warm' ? 'warm (adopted from a pool)' : 'cold (created for the claim)') : 'not recorded'),
  );
  if (s.launch.timeToReadyMs !== undefined) {
    items.push(
      h('dt', {}, 'Time to Ready'),
      h('dd', {}, duration(s.launch.timeToReadyMs), s.launch.measuredFrom ? h('span', { class: 'muted' }, ` (${s.launch.measuredFrom})`) : undefined),
    );
  }
  if (s.lifecycle.createdAt) items.push(h('dt', {}, 'Created'), h('dd', { title: clock(s.lifecycle.createdAt) }, ago(s.lifecycle.createdAt, ui.now)));
  return h('dl', { class: 'kv' }, items);
}

function isolation(s: DetailsSnapshot): View[] {
  const i = s.isolation;
  const out: View[] = [
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, 'Runtime'),
      h(
        'dd',
        {},
        h('span', { class: `badge ${i.isolated ? 'good' : 'bad'}` }, i.runtime),
        i.runtimeClassName ? h('span', { class: 'muted mono' }, ` runtimeClassName: ${i.runtimeClassName}`) : undefined,
      ),
    ),
  ];
  if (i.warning) out.push(h('div', { class: 'callout', role: 'note' }, i.warning));
  return out;
}

function placement(s: DetailsSnapshot): View {
  const p = s.placement;
  return h(
    'dl',
    { class: 'kv' },
    h('dt', {}, 'Node'),
    h('dd', { class: 'mono' }, p.node ?? '—'),
    h('dt', {}, 'Pod IPs'),
    h('dd', { class: 'mono' }, p.podIPs.length ? p.podIPs.join(', ') : '—'),
    p.hostIP ? [h('dt', {}, 'Host IP'), h('dd', { class: 'mono' }, p.hostIP)] : undefined,
    p.podPhase ? [h('dt', {}, 'Pod phase'), h('dd', {}, p.podPhase)] : undefined,
    p.restarts !== undefined ? [h('dt', {}, 'Restarts'), h('dd', {}, String(p.restarts))] : undefined,
  );
}

function lifecycle(s: DetailsSnapshot, ui: DetailsUi): View {
  const l = s.lifecycle;
  return h(
    'dl',
    { class: 'kv' },
    h('dt', {}, 'Shutdown'),
    l.shutdownTime
      ? h(
          'dd',
          { title: clock(l.shutdownTime) },
          h('span', { id: 'countdown' }, countdown(l.shutdownTime, ui.now)),
          h('span', { class: 'muted' }, ` (${clock(l.shutdownTime)})`),
        )
      : h('dd', {}, 'no shutdown time: runs until hibernated or deleted'),
    h('dt', {}, 'Policy'),
    h('dd', {}, l.shutdownPolicy ? `${l.shutdownPolicy} at shutdown` : 'Retain (default)'),
    l.claimShutdownTime
      ? [
          h('dt', {}, 'Claim expires'),
          h('dd', { title: clock(l.claimShutdownTime) }, `${ago(l.claimShutdownTime, ui.now)}${l.claimShutdownPolicy ? ` · ${l.claimShutdownPolicy}` : ''}`),
        ]
      : undefined,
    s.claim ? [h('dt', {}, 'Claim created by'), h('dd', {}, s.claim.createdBy ?? 'unknown (no agents.x-k8s.io/created-by label)')] : undefined,
    s.claim?.serviceFQDN ? [h('dt', {}, 'Claim service'), h('dd', {}, s.claim.serviceFQDN)] : undefined,
    s.claim?.latency ? [h('dt', {}, 'Claim latency'), h('dd', {}, s.claim.latency)] : undefined,
    s.claim?.waiting ? [h('dt', {}, 'Claim waiting'), h('dd', {}, s.claim.waiting)] : undefined,
  );
}

function events(s: DetailsSnapshot, ui: DetailsUi): View {
  if (s.eventsError) return h('p', { class: 'muted' }, s.eventsError);
  if (s.events.length === 0) return h('p', { class: 'muted' }, 'No recent events.');
  return h(
    'table',
    { class: 'stack events' },
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Type'), h('th', {}, 'Reason'), h('th', {}, 'Object'), h('th', {}, 'Message'))),
    h(
      'tbody',
      {},
      s.events.map((e: EventView) =>
        h(
          'tr',
          { class: e.type === 'Warning' ? 'warning' : '' },
          h('td', { title: clock(e.time) }, ago(e.time, ui.now), e.count > 1 ? h('span', { class: 'muted' }, ` ×${e.count}`) : undefined),
          h('td', {}, e.type),
          h('td', {}, e.reason),
          h('td', { class: 'mono' }, e.object),
          h('td', {}, e.message),
        ),
      ),
    ),
  );
}

function reach(s: DetailsSnapshot, ui: DetailsUi): View | undefined {
  const r = s.reach;
  if (!r) return undefined;
  const running = s.state === 'Running' && !s.gone;
  const rows = r.ports.map((p) =>
    h(
      'li',
      { class: 'port' },
      h('span', { class: 'mono' }, String(p.port)),
      h('span', { class: 'muted note' }, ` ${p.label}${p.podLocal ? ' (pod-local: relay only)' : ''} `),
      h(
        'button',
        {
          class: 'link',
          'data-port-action': `preview-${p.port}`,
          disabled: !running,
          onclick: () => ui.command('action', { action: 'preview', port: p.port }),
        },
        'Preview',
      ),
      ' ',
      h(
        'button',
        {
          class: 'link',
          'data-port-action': `forward-${p.port}`,
          disabled: !running,
          onclick: () => ui.command('action', { action: 'forwardPort', port: p.port }),
        },
        'Forward',
      ),
    ),
  );
  return h(
    'div',
    {},
    h('dl', { class: 'kv' }, h('dt', {}, 'Router'), h('dd', { class: r.routerTone === 'ok' ? '' : r.routerTone, id: 'router-status' }, r.router)),
    h('h3', {}, 'Listening ports ', h('button', { class: 'link', disabled: !running, onclick: () => ui.command('refreshPorts', null) }, 'Refresh')),
    rows.length ? h('ul', { class: 'plain', id: 'ports' }, rows) : h('p', { class: 'muted', id: 'ports' }, r.portsNote ?? 'No listening ports.'),
  );
}

function section(title: string, ...body: (View | View[] | undefined)[]): View {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...body);
}

export function detailsView(s: DetailsSnapshot, ui: DetailsUi): View[] {
  const parts: (View | undefined)[] = [
    header(s, ui),
    actions(s, ui),
    section('Conditions', conditions(s, ui)),
    section('Lineage', lineage(s, ui)),
    section('Launch', launch(s, ui)),
    section('Isolation', isolation(s)),
    section('Placement', placement(s)),
    s.reach ? section('Reach', reach(s, ui)) : undefined,
    section('Lifecycle', lifecycle(s, ui)),
    section('Recent events', events(s, ui)),
  ];
  return parts.filter((v): v is View => v !== undefined);
}
