// Journey: a person opens a sandbox's details from the tree and sees why it is in its state (its
// conditions), where it came from (lineage), that it runs in gVisor, and then its live log panel.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';

import { clusterSkipReason, journey, readyPoolSandboxes, waitFor } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const POOL = 'python-pool';

const skip = clusterSkipReason();

journey(
  'details: a sandbox explains itself in the details panel',
  async ({ vscode, step }) => {
    const page = vscode.page;
    let sandbox = '';
    const panel = (title: RegExp): Promise<FrameLocator> => vscode.webviews.webview(title);

    await step('open the Agent Sandbox view and find a ready pool sandbox', async () => {
      await vscode.sideBar.openViewContainer('Agent Sandbox');
      await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { timeout: 60_000 });
      const names = readyPoolSandboxes(NAMESPACE, POOL);
      assert.ok(names.length > 0, 'the warm pool has a ready sandbox');
      sandbox = names[0];
      await vscode.tree.waitForTreeItem(sandbox, { description: /Running/, timeout: 60_000 });
    });

    await step('Show Details opens the panel with the conditions', async () => {
      await vscode.tree.clickInlineAction(sandbox, 'Show Details');
      // Other tests keep the live tree busy: when a row re-renders between hover and click, VS Code
      // runs the command without its row, and the command asks which sandbox (a path users take too).
      const tab = page.locator('.tabs-container .tab', { hasText: `Sandbox ${sandbox}` });
      await waitFor(async () => (await tab.count()) > 0 || (await vscode.palette.quickInput.isVisible()), {
        message: 'the details panel or the sandbox picker',
      });
      if ((await tab.count()) === 0) await vscode.palette.pickQuickPickItem(sandbox);
      const frame = await panel(new RegExp(`Sandbox ${sandbox}`));
      await frame.locator('#state').filter({ hasText: 'Running' }).waitFor({ state: 'visible', timeout: 60_000 });
      const ready = frame.locator('tr[data-condition="Ready"]');
      await ready.waitFor({ state: 'visible' });
      assert.match(await ready.innerText(), /True[\s\S]*DependenciesReady/);
      await frame.locator('tr[data-condition="Suspended"]').waitFor({ state: 'visible' });
      await vscode.readmeScreenshot('details-panel');
    });

    await step('lineage, isolation and events are shown', async () => {
      const frame = await panel(new RegExp(`Sandbox ${sandbox}`));
      const lineage = await frame.locator('ol.lineage').innerText();
      assert.match(lineage, new RegExp(`Template[\\s\\S]*python-gvisor[\\s\\S]*Warm pool[\\s\\S]*${POOL}[\\s\\S]*Sandbox[\\s\\S]*${sandbox}[\\s\\S]*Pod`));
      assert.match(await frame.locator('section[aria-label="Isolation"]').innerText(), /gVisor/);
      await waitFor(async () => /kwok-gvisor-node/.test(await frame.locator('section[aria-label="Placement"]').innerText()), { message: 'the node to show' });
    });

    await step('the Logs action opens the live log panel', async () => {
      const frame = await panel(new RegExp(`Sandbox ${sandbox}`));
      await frame.locator('button[data-action="logs"]').click();
      const logs = await panel(new RegExp(`Logs: ${sandbox}`));
      await logs.locator('.status').waitFor({ state: 'visible', timeout: 60_000 });
      await waitFor(async () => /Following|Reconnecting|Connecting|Waiting/.test(await logs.locator('.status').innerText()), {
        message: 'the log status line',
      });
      await vscode.readmeScreenshot('logs-panel');
    });
  },
  { skip, waitForViewContainer: 'Agent Sandbox' },
);
