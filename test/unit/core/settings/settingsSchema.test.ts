// The settings table (src/core/settings) against package.json's contributes.configuration, both
// ways, and the typed change event that replaces affectsConfiguration strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigurationChangeLike, settingsChange } from '../../../../src/core/settings/changes';
import { SECTION, SETTING_KEYS, SETTINGS, settingId } from '../../../../src/core/settings/schema';

interface Declared {
  type: string;
  default: unknown;
  enum?: unknown[];
}
const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'));
const declared = pkg.contributes.configuration.properties as Record<string, Declared>;

/** What VS Code's event answers when these leaf keys changed: a key and every prefix of it. */
function changeOf(...ids: string[]): ConfigurationChangeLike {
  return { affectsConfiguration: (section) => ids.some((id) => id === section || id.startsWith(`${section}.`)) };
}

describe('settings schema', () => {
  it('names every key package.json declares, and no other', () => {
    assert.deepEqual(SETTING_KEYS.map(settingId).sort(), Object.keys(declared).sort());
  });

  it('has the type, default and options package.json declares for each key', () => {
    for (const key of SETTING_KEYS) {
      const d = declared[settingId(key)];
      const mine = SETTINGS[key];
      assert.equal(mine.type, d.type, `${key} type`);
      assert.deepEqual(mine.default, d.default, `${key} default`);
      assert.deepEqual(mine.enum, d.enum, `${key} enum`);
      // The table's TypeScript types say this already; the runtime check catches a cast.
      assert.equal(typeof mine.default, mine.type, `${key} default is a ${mine.type}`);
    }
  });

  it('marks exactly the keys Restricted Mode restricts', () => {
    const restricted = SETTING_KEYS.filter((k) => SETTINGS[k].restricted)
      .map(settingId)
      .sort();
    assert.deepEqual(restricted, [...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort());
  });

  it('uses the section package.json uses', () => {
    assert.ok(Object.keys(declared).every((id) => id.startsWith(`${SECTION}.`)));
  });
});

describe('settings change event', () => {
  it("is empty for another extension's settings", () => {
    const c = settingsChange(changeOf('editor.fontSize', 'agentSandboxOther.x'));
    assert.equal(c.isEmpty, true);
    assert.equal(c.needsReconnect, false);
  });

  it('names the changed keys and answers for their group', () => {
    const c = settingsChange(changeOf('agentSandbox.cost.cpuHour', 'agentSandbox.tree.groupThreshold'));
    assert.deepEqual([...c.keys].sort(), ['cost.cpuHour', 'tree.groupThreshold']);
    assert.equal(c.affects('cost'), true);
    assert.equal(c.affects('cost.cpuHour'), true);
    assert.equal(c.affects('cost.currency'), false);
    assert.equal(c.affects('tree'), true);
    assert.equal(c.affects('autoHibernate'), false);
    assert.equal(c.needsReconnect, false);
  });

  it('needs a reconnect only for the kubeconfig', () => {
    assert.equal(settingsChange(changeOf('agentSandbox.kubeconfig')).needsReconnect, true);
    for (const key of SETTING_KEYS.filter((k) => k !== 'kubeconfig')) {
      assert.equal(settingsChange(changeOf(settingId(key))).needsReconnect, false, key);
    }
  });
});
