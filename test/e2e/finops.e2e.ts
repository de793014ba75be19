// Journey: a person sees at a glance what the sandboxes in view cost (status bar), opens Hibernate
// Idle Sandboxes… from it and finds each running sandbox with its idle time and hourly cost. Nothing
// is hibernated here: the warm pool's members are shared with other journeys.
import assert from 'node:assert/strict';

import { clusterSkipReason, journey, readyPoolSandboxes, waitFor } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const POOL = 'python-pool';

const skip = clusterSkipReason();

journey(
  'finops: cost in the status bar, idle sandboxes listed with their cost',
  async ({ vscode, step }) => {
    const page = vscode.page;
    let sandbox = '';
    const costItem = page.locator('.statusbar-item', { hasText: /\d+ running · \d+ hibernated · \$[\d.,]+\/h/ }).first();

    await step('open the view; a running pool sandbox is listed', async () => {
      await vscode.sideBar.openViewContainer('Agent Sandbox');
      await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { timeout: 60_000 });
      const names = readyPoolSandboxes(NAMESPACE, POOL);
      assert.ok(names.length > 0, 'the warm pool has a ready sandbox');
      sandbox = names[0];
      await vscode.tree.waitForTreeItem(sandbox, { description: /Running/, timeout: 60_000 });
    });

    await step('hovering the sandbox row shows its cost and that this window never used it', async () => {
      const row = await vscode.tree.waitForTreeItem(sandbox);
      const hover = page
        .locator('.workbench-hover, .monaco-hover')
        .filter({ hasText: /Cost: ~\$/ })
        .first();
      await waitFor(
        async () => {
          // Hovering again where the mouse already is fires no event: leave the row and come back.
          await page.mouse.move(0, 0);
          await row.hover();
          return waitFor(() => hover.isVisible(), { timeout: 3_000, message: 'the tooltip after this hover' }).catch(() => false);
        },
        { message: 'the row tooltip' },
      );
      const text = await hover.innerText();
      assert.match(text, /Activity in this window: none/);
      assert.match(text, /Cost: ~\$0\.011\/h \(0\.25 vCPU, 256 MiB requested\)/);
      assert.match(text, /Storage: 1 GiB/);
      await page.mouse.move(0, 0);
    });

    await step('the status bar shows running, hibernated and the hourly cost', async () => {
      await costItem.waitFor({ state: 'visible', timeout: 60_000 });
      const text = (await costItem.innerText()).trim();
      const m = /(\d+) running · (\d+) hibernated · \$([\d.]+)\/h/.exec(text);
      assert.ok(m, text);
      assert.ok(Number(m[1]) >= 1, 'at least the pool sandbox runs');
      assert.ok(Number(m[3]) > 0, 'the pool template requests CPU and memory, so it costs something');
    });

    await step('clicking it opens Hibernate Idle Sandboxes… with idle time and cost per sandbox', async () => {
      await costItem.click();
      await vscode.palette.quickPickItems({ placeholder: /Hibernate idle sandboxes|Choose the sandboxes to hibernate/ });
      const row = vscode.palette.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: sandbox }).first();
      if (!(await row.isVisible())) await vscode.palette.quickInput.locator('input').first().fill(sandbox);
      await waitFor(() => row.isVisible(), { message: `${sandbox} in the list` });
      // 250m CPU and 256Mi at the default prices: $0.011/h; this window never used it.
      assert.match(await row.innerText(), /not used in this window · \$0\.011\/h/);
      await vscode.palette.dismissQuickInput();
    });
  },
  { skip, waitForViewContainer: 'Agent Sandbox' },
);
