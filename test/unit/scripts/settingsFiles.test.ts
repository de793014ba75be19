// The settings files npm start and the e2e harness write for code-server: machine-scoped settings
// must also land in the server's Machine file, where a remote window reads them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { machineScopedSettings, writeUserSettings } from '../../../scripts/codeserver.mjs';
import { localRouterSetting } from '../../../scripts/playground.mjs';

const read = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('settings files for code-server', () => {
  it('knows the machine-scoped settings from package.json', () => {
    const keys = machineScopedSettings();
    assert.ok(keys.has('agentSandbox.router.urls'));
    assert.ok(keys.has('agentSandbox.kubeconfig'));
    assert.ok(!keys.has('agentSandbox.preview.openIn'));
  });

  it('writes machine-scoped settings into Machine/settings.json too, the rest only into User', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
    writeUserSettings(dir, { 'agentSandbox.router.urls': { local: 'http://127.0.0.1:1/router' }, 'workbench.startupEditor': 'none' });
    assert.deepEqual(read(path.join(dir, 'Machine', 'settings.json')), { 'agentSandbox.router.urls': { local: 'http://127.0.0.1:1/router' } });
    assert.equal(read(path.join(dir, 'User', 'settings.json'))['workbench.startupEditor'], 'none');
    fs.rmSync(dir, { recursive: true });
  });

  it("points the local context at this start's router and keeps the other contexts' URLs", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
    writeUserSettings(dir, { 'agentSandbox.router.urls': { mine: 'https://r.example.com/router', local: 'http://127.0.0.1:1/router' } });
    writeUserSettings(dir, localRouterSetting(dir, 'local', 'http://127.0.0.1:2/router'));
    assert.deepEqual(read(path.join(dir, 'Machine', 'settings.json'))['agentSandbox.router.urls'], {
      mine: 'https://r.example.com/router',
      local: 'http://127.0.0.1:2/router',
    });
    fs.rmSync(dir, { recursive: true });
  });
});
