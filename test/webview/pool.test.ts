// The warm pool panel (webviews/pool) in a DOM: the scale request and its answer, the Desired field
// keeping what the user typed (and its focus) while snapshots keep arriving, and the chart drawn as SVG.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { HTMLButtonElement, HTMLInputElement } from 'happy-dom';
import type { PoolProtocol, PoolSnapshot } from '../../src/shared/poolProtocol';
import { openPanel, type Panel } from './panel';

const snapshot = (over: Partial<PoolSnapshot> = {}): PoolSnapshot => {
  const now = Date.now();
  return {
    context: 'kind-dev',
    namespace: 'team-a',
    name: 'python-pool',
    gone: false,
    ready: 2,
    desired: 3,
    current: 3,
    template: { name: 'python', exists: true, runtime: 'gVisor', runtimeClassName: 'gvisor', isolated: true },
    history: [
      { t: now - 60_000, ready: 1, desired: 3 },
      { t: now - 1000, ready: 2, desired: 3 },
    ],
    collectingSince: now - 120_000,
    claims: [],
    members: [{ name: 'python-pool-x1', state: 'Running' }],
    ...over,
  };
};

const scaleButton = (p: Panel<PoolProtocol>) =>
  [...p.document.querySelectorAll('button')].find((b) => /^Scal(e|ing…)$/.test(b.textContent ?? '')) as HTMLButtonElement;

/** Types into the Desired field as a user does: the value, then an input event. */
function type(p: Panel<PoolProtocol>, value: string): void {
  const input = p.$<HTMLInputElement>('#desired');
  input.focus();
  input.value = value;
  input.dispatchEvent(new p.window.Event('input', { bubbles: true }));
}

describe('pool webview', () => {
  let panel: Panel<PoolProtocol>;
  afterEach(() => panel.close());

  it('draws the health badge, the members and the ready/desired chart as SVG', async () => {
    panel = await openPanel<PoolProtocol>('pool');
    assert.deepEqual(panel.posted, [{ kind: 'command', method: 'ready', params: null }]);
    panel.notify('snapshot', snapshot());
    assert.equal(panel.$('h1').textContent, 'python-pool');
    assert.equal(panel.$('#ready').textContent, '2 / 3');
    assert.equal(panel.$('#ready').className, 'badge warn');
    const chart = panel.$('svg');
    assert.equal(chart.namespaceURI, 'http://www.w3.org/2000/svg', 'created in the SVG namespace, so a browser draws it');
    assert.ok(chart.querySelectorAll('polyline, path').length > 0, 'the chart has lines');
    panel.$<HTMLButtonElement>('.members button').click();
    assert.deepEqual(panel.posted.at(-1), { kind: 'command', method: 'openSandbox', params: { name: 'python-pool-x1' } });
  });

  it('Scale sends a request with the typed number, shows Scaling… and then the host’s answer', async () => {
    panel = await openPanel<PoolProtocol>('pool');
    panel.notify('snapshot', snapshot());
    type(panel, '5');
    scaleButton(panel).click();
    const request = await panel.nextPost((m) => m.kind === 'request');
    assert.deepEqual(request, { kind: 'request', id: 1, method: 'scale', params: { replicas: 5 } });
    assert.equal(scaleButton(panel).textContent, 'Scaling…');
    assert.equal(scaleButton(panel).disabled, true);

    panel.post({ kind: 'response', id: 1, ok: true, result: { desired: 5 } });
    await panel.dom(() => panel.document.querySelector('[role="status"]')?.textContent === 'Desired replicas set to 5.', 'the success message');
    assert.equal(scaleButton(panel).disabled, false);
  });

  it('a refused scale shows the host’s error as an alert; an out-of-range number is refused before any request', async () => {
    panel = await openPanel<PoolProtocol>('pool');
    panel.notify('snapshot', snapshot());
    type(panel, '1001');
    scaleButton(panel).click();
    assert.match(panel.$('[role="alert"]').textContent ?? '', /whole number from 0 to 1000/);
    assert.equal(
      panel.posted.some((m) => m.kind === 'request'),
      false,
    );

    type(panel, '4');
    panel.$<HTMLInputElement>('#desired').dispatchEvent(new panel.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const request = await panel.nextPost((m) => m.kind === 'request');
    assert.equal(request.kind === 'request' && request.id, 1);
    panel.post({ kind: 'response', id: 1, ok: false, error: 'sandboxwarmpools.extensions.agents.x-k8s.io "python-pool" is forbidden' });
    await panel.dom(() => /forbidden/.test(panel.document.querySelector('[role="alert"]')?.textContent ?? ''), 'the error alert');
  });

  it('a snapshot arriving while the user types keeps the typed text and the focus', async () => {
    panel = await openPanel<PoolProtocol>('pool');
    panel.notify('snapshot', snapshot());
    assert.equal(panel.$<HTMLInputElement>('#desired').value, '3', 'the field starts at the desired count');
    type(panel, '12');
    const before = panel.$('#desired');
    panel.notify('snapshot', snapshot({ ready: 3, desired: 3 }));
    const after = panel.$<HTMLInputElement>('#desired');
    assert.notEqual(after, before, 'the field was redrawn');
    assert.equal(after.value, '12');
    assert.equal(panel.document.activeElement, after, 'focus moved to the new field');
    assert.equal(panel.$('#ready').textContent, '3 / 3');
  });
});
