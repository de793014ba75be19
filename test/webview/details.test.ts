// The sandbox details panel (webviews/details) in a DOM: what it posts on load and on clicks, what
// it draws from the host's snapshot and error messages, and what the DOM adds to the render code
// (test/unit/webviews/webviewRender.test.ts): events wired to elements, disabled buttons, the message listener.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { HTMLButtonElement } from 'happy-dom';
import type { DetailsProtocol, DetailsSnapshot } from '../../src/shared/detailsProtocol';
import { openPanel, type Panel } from './panel';

const snapshot = (over: Partial<DetailsSnapshot> = {}): DetailsSnapshot => ({
  context: 'kind-dev',
  namespace: 'team-a',
  name: 'sb1',
  gone: false,
  state: 'Running',
  conditions: [{ type: 'Ready', status: 'True', reason: 'PodReady' }],
  lineage: {
    pool: { ref: { kind: 'SandboxWarmPool', namespace: 'team-a', name: 'warm' }, exists: true },
    sandbox: { ref: { kind: 'Sandbox', namespace: 'team-a', name: 'sb1' }, exists: true },
    pvcs: [],
  },
  launch: { type: 'warm', timeToReadyMs: 1500 },
  isolation: { runtime: 'gVisor', isolated: true, runtimeClassName: 'gvisor' },
  placement: { node: 'node-1', podIPs: ['10.0.0.5'] },
  lifecycle: {},
  events: [],
  actions: [
    { id: 'hibernate', label: 'Hibernate', enabled: true },
    { id: 'resume', label: 'Resume', enabled: false, why: 'already running' },
  ],
  reach: { router: 'reachable at https://r/', routerTone: 'ok', ports: [{ port: 8080, label: 'python3 · 0.0.0.0', podLocal: false }] },
  ...over,
});

describe('details webview', () => {
  let panel: Panel<DetailsProtocol>;
  afterEach(() => panel.close());

  it('says ready once on load and draws nothing until the first snapshot', async () => {
    panel = await openPanel<DetailsProtocol>('details');
    assert.deepEqual(panel.posted, [{ kind: 'command', method: 'ready', params: null }]);
    assert.equal(panel.$('#app').getAttribute('aria-busy'), 'true');
    assert.equal(panel.$('#app').children.length, 0);

    panel.notify('snapshot', snapshot());
    assert.equal(panel.$('#app').hasAttribute('aria-busy'), false, 'no longer busy once drawn');
    assert.match(panel.$('header').textContent ?? '', /^sb1\s*Running/);
    assert.equal(panel.$('#state').className, 'badge good');
    assert.equal(panel.$('#router-status').textContent, 'reachable at https://r/');
  });

  it('an enabled action posts its command; a disabled one cannot be clicked', async () => {
    panel = await openPanel<DetailsProtocol>('details');
    panel.notify('snapshot', snapshot());
    panel.$<HTMLButtonElement>('[data-action="resume"]').click();
    panel.$<HTMLButtonElement>('[data-action="hibernate"]').click();
    panel.$<HTMLButtonElement>('[data-port-action="preview-8080"]').click();
    assert.deepEqual(panel.posted.slice(1), [
      { kind: 'command', method: 'action', params: { action: 'hibernate' } },
      { kind: 'command', method: 'action', params: { action: 'preview', port: 8080 } },
    ]);
    assert.equal(panel.$('[data-action="resume"]').getAttribute('title'), 'already running');
  });

  it('a lineage link posts the object to open', async () => {
    panel = await openPanel<DetailsProtocol>('details');
    panel.notify('snapshot', snapshot());
    const warm = [...panel.document.querySelectorAll('.lineage button')].find((b) => b.textContent === 'warm') as HTMLButtonElement | undefined;
    assert.ok(warm, 'the pool is a link');
    warm.click();
    assert.deepEqual(panel.posted.at(-1), { kind: 'command', method: 'open', params: { ref: { kind: 'SandboxWarmPool', namespace: 'team-a', name: 'warm' } } });
  });

  it('shows a failed action as an alert, and drops it once the user acts again', async () => {
    panel = await openPanel<DetailsProtocol>('details');
    panel.notify('error', { message: 'Hibernate failed: forbidden' });
    assert.equal(panel.document.querySelector('[role="alert"]'), null, 'nothing is drawn before a snapshot');
    panel.notify('snapshot', snapshot());
    assert.equal(panel.$('[role="alert"]').textContent, 'Hibernate failed: forbidden');
    panel.$<HTMLButtonElement>('[data-action="hibernate"]').click();
    panel.notify('snapshot', snapshot({ state: 'Hibernating' }));
    assert.equal(panel.document.querySelector('[role="alert"]'), null);
    assert.equal(panel.$('#state').className, 'badge info');
  });

  it('ignores messages that are not part of its protocol', async () => {
    panel = await openPanel<DetailsProtocol>('details');
    panel.window.dispatchEvent(new panel.window.MessageEvent('message', { data: { kind: 'notification', method: 'explode', params: {} } }));
    panel.window.dispatchEvent(new panel.window.MessageEvent('message', { data: 'not even an object' }));
    panel.notify('snapshot', snapshot());
    assert.equal(panel.$('#state').textContent, 'Running');
  });
});
