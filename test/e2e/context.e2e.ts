// Journey: a person switches the Agent Sandbox view to a cluster that does not have agent-sandbox
// (context agent-sandbox-bare: a control plane without its CRDs) from the status bar, and the tree
// says so instead of showing an error or nothing; switching back shows the demo namespace again.
// The active context is remembered per user-data dir; every journey launches with a fresh one.
import assert from 'node:assert/strict';

import { clusterEnv, journey } from './harness';

const CONTEXT = 'agent-sandbox-local';
const BARE = 'agent-sandbox-bare';
const NAMESPACE = 'agent-sandbox-demo';

let skip: string | false = false;
try {
  clusterEnv();
} catch (err) {
  skip = process.env.CI ? false : (err as Error).message;
}

journey('context: a cluster without agent-sandbox says it is not installed', async ({ vscode, step }) => {
  const page = vscode.page;
  const statusItem = (context: string) => page.locator('.part.statusbar .statusbar-item', { hasText: new RegExp(`^\\s*${context} · `) }).first();

  await step('the view shows the local cluster, the status bar its context', async () => {
    await vscode.openViewContainer('Agent Sandbox');
    await vscode.waitForTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
    await statusItem(CONTEXT).waitFor({ state: 'visible' });
  });

  await step('click the status bar item → pick agent-sandbox-bare', async () => {
    await statusItem(CONTEXT).click();
    const contexts = await vscode.quickPickItems({ placeholder: /Switch Agent Sandbox context/ });
    assert.ok(contexts.includes(BARE), `offered: ${JSON.stringify(contexts)}`);
    await vscode.pickQuickPickItem(BARE);
    await statusItem(BARE).waitFor({ state: 'visible' });
  });

  await step('the tree says Agent Sandbox is not installed on this cluster', async () => {
    await vscode.waitForTreePath([BARE, 'Agent Sandbox is not installed on this cluster'], { timeout: 60_000 });
    const rows = await vscode.treeRows();
    assert.ok(!rows.some((r) => r.label === CONTEXT || r.label === NAMESPACE), `the old context is gone: ${JSON.stringify(rows)}`);
  });

  await step('Switch Context… from the palette → back to agent-sandbox-local', async () => {
    await vscode.runCommand('Agent Sandbox: Switch Context…');
    await vscode.pickQuickPickItem(CONTEXT);
    await vscode.waitForTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
    await statusItem(CONTEXT).waitFor({ state: 'visible' });
  });
}, { skip, waitForViewContainer: 'Agent Sandbox' });
