// Journey: what `npm start` serves (the same profile, from scripts/playground.mjs). A person opens
// the URL and finds the Agent Sandbox view already open on the local cluster, no Restricted Mode
// banner, and a first terminal that takes their keystrokes at once (an untrusted folder would
// raise the trust dialog there and swallow them). Restricted Mode itself has its own journey.
import assert from 'node:assert/strict';

import { clusterSkipReason, journey } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';

journey(
  'playground: npm start opens a trusted folder with the Agent Sandbox view',
  async ({ vscode, step }) => {
    const page = vscode.page;

    await step('the Agent Sandbox view is open without a click, on the local cluster', async () => {
      await page.locator('.part.sidebar .composite.title .title-label', { hasText: /^agent sandbox/i }).waitFor({ state: 'visible' });
      await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
    });

    await step('no Restricted Mode: no banner, no status bar item', async () => {
      const banner = await page.locator('.monaco-workbench .banner').allTextContents();
      assert.ok(!banner.some((t) => /restricted mode/i.test(t)), `banner: ${JSON.stringify(banner)}`);
      const items = await vscode.statusBarItems();
      assert.ok(!items.some((t) => /restricted mode/i.test(t)), `status bar: ${JSON.stringify(items)}`);
    });

    await step('the first terminal takes the first keystrokes (no trust dialog)', async () => {
      await vscode.palette.runCommand('Terminal: Create New Terminal');
      await vscode.terminal.typeInTerminal('echo playground-$((6*7))');
      await vscode.terminal.waitForTerminalText(/^playground-42$/m);
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no dialog is showing');
      await vscode.screenshot('playground');
    });
  },
  {
    skip: clusterSkipReason(),
    playground: true,
    // Only so the test can read the terminal's text from the DOM; nothing about trust.
    settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    waitForViewContainer: 'Agent Sandbox',
  },
);
