// src/extension/config.ts over the vscode mock: typed settings with their clamps and fallbacks,
// what a workspace (a cloned repository) may and may not set, writes to the user's settings, and
// change events sorted into our keys.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { onDidChangeSettings, readSettings, setRouterUrl, writeUserSetting } from '../../../src/extension/config';
import type { SettingsChange } from '../../../src/core/settings/changes';
import * as vscode from 'vscode'; // test/mocks/vscode.ts at run time
import { mock } from '../../mocks/vscode';

const set = (key: string, value: unknown, scope: 'global' | 'workspace' = 'global') => mock.set(`agentSandbox.${key}`, value, scope);

describe('readSettings', () => {
  beforeEach(() => mock.reset());

  it('gives the schema defaults when nothing is set', () => {
    const s = readSettings();
    assert.equal(s.kubeconfig, undefined);
    assert.equal(s.hibernateTimeoutSeconds, 300);
    assert.equal(s.terminalShell, undefined);
    assert.equal(s.terminalPersistentSessions, true);
    assert.equal(s.terminalReattachOnReload, 'ask');
    assert.equal(s.filesWatchIntervalSeconds, 2);
    assert.equal(s.autoHibernateEnabled, false);
    assert.equal(s.previewOpenIn, 'simpleBrowser');
    assert.equal(s.treeGroupThreshold, 100);
    assert.deepEqual(s.routerUrls, {});
  });

  it('clamps numbers into their range, keeps 0 where it means "off", and falls back on odd values', () => {
    set('hibernateTimeoutSeconds', 1);
    set('readyTimeoutSeconds', 99_999);
    set('files.watchIntervalSeconds', 0);
    set('files.maxFileSizeMB', Number.NaN);
    set('tree.groupThreshold', 3);
    set('terminal.reattachOnReload', 'sometimes');
    set('terminal.shell', '  zsh ');
    set('terminal.container', '   ');
    set('cost.currency', ' eur ');
    const s = readSettings();
    assert.equal(s.hibernateTimeoutSeconds, 10);
    assert.equal(s.readyTimeoutSeconds, 3600);
    assert.equal(s.filesWatchIntervalSeconds, 0, '0 turns polling off');
    assert.equal(s.filesMaxFileSizeMB, 1, 'not a number: the minimum');
    assert.equal(s.treeGroupThreshold, 10);
    assert.equal(s.terminalReattachOnReload, 'ask');
    assert.equal(s.terminalShell, 'zsh');
    assert.equal(s.terminalContainer, undefined);
    assert.equal(s.prices.currency, 'EUR');
    set('cost.currency', 'euro');
    assert.equal(readSettings().prices.currency, 'USD');
  });

  it('in Restricted Mode ignores a workspace kubeconfig, auto-hibernate and router URLs, keeping the user’s own', () => {
    set('kubeconfig', '/home/me/.kube/config');
    set('kubeconfig', './evil-kubeconfig', 'workspace');
    set('autoHibernate.enabled', true, 'workspace');
    set('autoHibernate.idleMinutes', 1, 'workspace');
    set('router.urls', { prod: 'https://router.example.com/r' });
    set('router.urls', { prod: 'https://attacker.example.com/' }, 'workspace');
    mock.trust(false);
    let s = readSettings();
    assert.equal(s.kubeconfig, '/home/me/.kube/config');
    assert.equal(s.autoHibernateEnabled, false);
    assert.equal(s.autoHibernateIdleMinutes, 30);
    assert.deepEqual(s.routerUrls, { prod: 'https://router.example.com/r' });

    mock.trust(true);
    s = readSettings();
    assert.equal(s.kubeconfig, './evil-kubeconfig', 'a trusted workspace may choose its kubeconfig');
    assert.equal(s.autoHibernateEnabled, true);
    assert.equal(s.autoHibernateIdleMinutes, 1);
    assert.deepEqual(s.routerUrls, { prod: 'https://attacker.example.com/' });
  });

  it('takes agent consent only from the user’s settings, even in a trusted workspace', () => {
    set('agent.autoApproveIsolated', true, 'workspace');
    set('agent.allowUnisolatedRun', true, 'workspace');
    assert.equal(readSettings().agentAutoApproveIsolated, false);
    assert.equal(readSettings().agentAllowUnisolatedRun, false);
    set('agent.autoApproveIsolated', true);
    assert.equal(readSettings().agentAutoApproveIsolated, true);
  });

  it('keeps only http(s) router URLs, trimmed', () => {
    set('router.urls', { a: ' https://r.example.com/x ', b: 'ftp://r.example.com', c: 42, d: 'http://10.0.0.1:8080' });
    assert.deepEqual(readSettings().routerUrls, { a: 'https://r.example.com/x', d: 'http://10.0.0.1:8080' });
  });
});

describe('writing settings', () => {
  beforeEach(() => mock.reset());

  it('writeUserSetting writes the user’s (global) value', async () => {
    await writeUserSetting('kubeconfig', '/tmp/kc');
    assert.deepEqual(mock.updates, [{ key: 'agentSandbox.kubeconfig', value: '/tmp/kc', target: vscode.ConfigurationTarget.Global }]);
    assert.equal(readSettings().kubeconfig, '/tmp/kc');
  });

  it('setRouterUrl changes one context in the user’s map, never copying a workspace value into it', async () => {
    set('router.urls', { a: 'https://a.example.com' });
    set('router.urls', { w: 'https://workspace.example.com' }, 'workspace');
    await setRouterUrl('b', 'https://b.example.com');
    assert.deepEqual(mock.updates.at(-1)?.value, { a: 'https://a.example.com', b: 'https://b.example.com' });
    await setRouterUrl('a', undefined);
    assert.deepEqual(mock.updates.at(-1)?.value, { b: 'https://b.example.com' });
    assert.equal(mock.updates.at(-1)?.target, vscode.ConfigurationTarget.Global);
  });
});

describe('onDidChangeSettings', () => {
  beforeEach(() => mock.reset());

  it('passes our changed keys on, says when the context must reconnect, and stays quiet for other extensions', () => {
    const seen: SettingsChange[] = [];
    const sub = onDidChangeSettings((c) => seen.push(c));
    mock.change('editor.fontSize');
    assert.equal(seen.length, 0);
    mock.change('agentSandbox.cost.cpuHour');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].affects('cost'), true);
    assert.equal(seen[0].affects('terminal'), false);
    assert.equal(seen[0].needsReconnect, false);
    mock.change('agentSandbox.kubeconfig');
    assert.equal(seen[1].needsReconnect, true);
    sub.dispose();
    mock.change('agentSandbox.kubeconfig');
    assert.equal(seen.length, 2, 'no events after dispose');
  });
});
