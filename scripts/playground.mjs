// The workbench `npm start` serves: the packaged extension in a fresh extensions dir, a trusted
// playground folder, and the Agent Sandbox view open on the first visit. Shared with the e2e
// journey that checks exactly this (test/e2e/playground.e2e.ts).

import fs from 'node:fs';
import path from 'node:path';

import { installExtension, writeUserSettings } from './codeserver.mjs';

/** User settings of the playground profile. */
export const PLAYGROUND_SETTINGS = {
  // The playground folder is ours and holds no code: it is trusted, so neither the Restricted Mode
  // banner nor the trust dialog of the first terminal shows (that dialog ate the first keystrokes).
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // Keep the first look on the extension: no chat side bar or AI prompts.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

// A one-file extension of the playground profile only: VS Code has no setting for the view shown
// first, so it opens the Agent Sandbox view once per browser profile (later visits keep the
// person's own layout).
const OPENER_ID = 'agent-sandbox-community.playground-opener';
const OPENER_VERSION = '0.0.1';
const OPENER_MANIFEST = {
  name: 'playground-opener',
  publisher: 'agent-sandbox-community',
  displayName: 'Agent Sandbox playground',
  description: 'Opens the Agent Sandbox view on the first visit to the npm start playground.',
  version: OPENER_VERSION,
  engines: { vscode: '^1.80.0' },
  main: './extension.js',
  activationEvents: ['onStartupFinished'],
  extensionDependencies: ['agent-sandbox-community.agent-sandbox-vscode'],
};
const OPENER_JS = `const vscode = require('vscode');
exports.activate = async (context) => {
  if (context.globalState.get('opened')) return;
  await vscode.commands.executeCommand('workbench.view.extension.agentSandbox');
  await context.globalState.update('opened', true);
};
`;

/** Adds the opener to an extensions dir that code-server already installed an extension into. */
function installOpener(extensionsDir) {
  const rel = `${OPENER_ID}-${OPENER_VERSION}`;
  const dir = path.join(extensionsDir, rel);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(OPENER_MANIFEST, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'extension.js'), OPENER_JS);
  // VS Code loads the extensions listed in extensions.json (written by --install-extension).
  const list = path.join(extensionsDir, 'extensions.json');
  const entries = JSON.parse(fs.readFileSync(list, 'utf8')).filter((e) => e.identifier?.id !== OPENER_ID);
  entries.push({
    identifier: { id: OPENER_ID },
    version: OPENER_VERSION,
    location: { $mid: 1, path: dir, scheme: 'file' },
    relativeLocation: rel,
    metadata: { installedTimestamp: Date.now(), source: 'resource' },
  });
  fs.writeFileSync(list, JSON.stringify(entries));
}

/**
 * Makes a playground profile: `extensionsDir` emptied and given the .vsix plus the opener,
 * `userDataDir` given PLAYGROUND_SETTINGS (merged into what is there), `workspace` created with a
 * README. Returns nothing; throws on a failed extension install.
 */
/**
 * The router URL setting with the local cluster's router for its context: the router's port is
 * new with every cluster start, and the person's URLs for other contexts are kept.
 */
export function localRouterSetting(userDataDir, context, routerUrl) {
  let current = {};
  try {
    current = JSON.parse(fs.readFileSync(path.join(userDataDir, 'Machine', 'settings.json'), 'utf8'))['agentSandbox.router.urls'] ?? {};
  } catch {
    /* none yet */
  }
  return { 'agentSandbox.router.urls': { ...current, [context]: routerUrl } };
}

export async function preparePlayground(install, { vsix, extensionsDir, userDataDir, workspace, settings = {}, log }) {
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  const readme = path.join(workspace, 'README.md');
  if (!fs.existsSync(readme)) {
    fs.writeFileSync(readme, '# Agent Sandbox playground\n\nOpened by `npm start`. The Agent Sandbox view is in the activity bar.\n');
  }
  writeUserSettings(userDataDir, { ...PLAYGROUND_SETTINGS, ...settings });
  await installExtension(install, vsix, { extensionsDir, userDataDir, log });
  installOpener(extensionsDir);
}
