// The live log panel (webviews/logs) in a DOM, xterm.js included: the toolbar the host's init
// builds and the options it posts back, Reconnect following the stream's status, Pause holding
// new lines, and the page nonce on every <style> xterm.js creates (the CSP allows no other).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { HTMLButtonElement, HTMLInputElement, HTMLSelectElement } from 'happy-dom';
import type { LogsProtocol } from '../../src/shared/logsProtocol';
import { openPanel, type Panel } from './panel';

const init = { title: 'Logs: sb1', options: { follow: true, timestamps: false }, containers: ['main', 'sidecar'] };
const button = (p: Panel<LogsProtocol>, label: RegExp) =>
  [...p.document.querySelectorAll('button')].find((b) => label.test(b.textContent ?? '')) as HTMLButtonElement;

describe('logs webview', () => {
  let panel: Panel<LogsProtocol>;
  afterEach(() => panel.close());

  it('init titles the page and builds the toolbar; each control posts the whole new options', async () => {
    panel = await openPanel<LogsProtocol>('logs');
    assert.deepEqual(panel.posted, [{ kind: 'command', method: 'ready', params: null }]);
    panel.notify('init', init);
    assert.equal(panel.document.title, 'Logs: sb1');
    const containers = panel.$<HTMLSelectElement>('select[aria-label="Container"]');
    assert.deepEqual(
      [...containers.options].map((o) => o.textContent),
      ['main', 'sidecar'],
    );

    const timestamps = panel.document.querySelectorAll('.controls input[type="checkbox"]')[1] as HTMLInputElement;
    timestamps.click();
    assert.deepEqual(panel.posted.at(-1), { kind: 'command', method: 'setOptions', params: { follow: true, timestamps: true } });
    containers.value = 'sidecar';
    containers.dispatchEvent(new panel.window.Event('change', { bubbles: true }));
    assert.deepEqual(panel.posted.at(-1), { kind: 'command', method: 'setOptions', params: { follow: true, timestamps: true, container: 'sidecar' } });
  });

  it('offers Reconnect only while the stream is stopped or waiting, and clicking it asks the host', async () => {
    panel = await openPanel<LogsProtocol>('logs');
    panel.notify('init', init);
    const reconnect = button(panel, /^Reconnect$/);
    assert.equal(reconnect.hidden, true);
    panel.notify('status', { state: 'failed', text: 'Failed: pod sb1 is gone' });
    assert.equal(panel.$('[role="status"]').textContent, 'Failed: pod sb1 is gone');
    assert.equal(panel.$('[role="status"]').className, 'status failed');
    assert.equal(reconnect.hidden, false);
    reconnect.click();
    assert.deepEqual(panel.posted.at(-1), { kind: 'command', method: 'reconnect', params: null });
    panel.notify('status', { state: 'streaming', text: 'Streaming' });
    assert.equal(reconnect.hidden, true);
  });

  it('Pause counts the lines held back and Resume lets them through', async () => {
    panel = await openPanel<LogsProtocol>('logs');
    panel.notify('init', init);
    const pause = button(panel, /^Pause$/);
    pause.click();
    assert.equal(pause.textContent, 'Resume');
    assert.equal(pause.getAttribute('aria-pressed'), 'true');
    panel.notify('data', { text: 'one\ntwo\n' });
    panel.notify('data', { text: 'three\n' });
    assert.equal(pause.textContent, 'Resume (3 new)');
    pause.click();
    assert.equal(pause.textContent, 'Pause');
    assert.equal(pause.getAttribute('aria-pressed'), 'false');
  });

  it('every <style> element xterm.js made carries the page nonce', async () => {
    panel = await openPanel<LogsProtocol>('logs');
    const styles = [...panel.document.querySelectorAll('style')];
    assert.ok(styles.length > 0, 'xterm.js made its style elements');
    assert.deepEqual(
      styles.map((s) => s.getAttribute('nonce')),
      styles.map(() => 'N0NCE'),
    );
  });
});
