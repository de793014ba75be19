// Journey: a person switches the Agent Sandbox view to a cluster that does not have agent-sandbox
// (context agent-sandbox-bare: a control plane without its CRDs) from the status bar, and the tree
// says so instead of showing an error or nothing; switching back shows the demo namespace again.
// The active context is remembered per user-data dir; every journey launches with a fresh one.
// Second journey: VS Code was started before the cluster existed (no kubeconfig yet); once the
// kubeconfig is there, Refresh in the view's title bar shows the cluster without a restart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { clusterEnv, clusterSkipReason, journey } from './harness';

const CONTEXT = 'agent-sandbox-local';
const BARE = 'agent-sandbox-bare';
const NAMESPACE = 'agent-sandbox-demo';

const skip = clusterSkipReason();

journey(
  'context: a cluster without agent-sandbox says it is not installed',
  async ({ vscode, step }) => {
    const page = vscode.page;
    const statusItem = (context: string) => page.locator('.part.statusbar .statusbar-item', { hasText: new RegExp(`^\\s*${context} · `) }).first();

    await step('the view shows the local cluster, the status bar its context', async () => {
      await vscode.sideBar.openViewContainer('Agent Sandbox');
      await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
      await statusItem(CONTEXT).waitFor({ state: 'visible' });
    });

    await step('click the status bar item → pick agent-sandbox-bare', async () => {
      await statusItem(CONTEXT).click();
      const contexts = await vscode.palette.quickPickItems({ placeholder: /Switch Agent Sandbox context/ });
      assert.ok(contexts.includes(BARE), `offered: ${JSON.stringify(contexts)}`);
      await vscode.palette.pickQuickPickItem(BARE);
      await statusItem(BARE).waitFor({ state: 'visible' });
    });

    await step('the tree says Agent Sandbox is not installed on this cluster', async () => {
      await vscode.tree.waitForTreePath([BARE, 'Agent Sandbox is not installed on this cluster'], { timeout: 60_000 });
      const rows = await vscode.tree.treeRows();
      assert.ok(!rows.some((r) => r.label === CONTEXT || r.label === NAMESPACE), `the old context is gone: ${JSON.stringify(rows)}`);
    });

    await step('Switch Context… from the palette → back to agent-sandbox-local', async () => {
      await vscode.palette.runCommand('Agent Sandbox: Switch Context…');
      // Wait for the picker's title first: it shifts the list down when it appears.
      await vscode.palette.quickPickItems({ placeholder: /Switch Agent Sandbox context/ });
      await vscode.palette.pickQuickPickItem(CONTEXT);
      await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
      await statusItem(CONTEXT).waitFor({ state: 'visible' });
    });
  },
  { skip, waitForViewContainer: 'Agent Sandbox' },
);

// $KUBECONFIG names a file that does not exist yet, as when a cluster is created after VS Code started.
const lateDir = path.join(os.tmpdir(), `agent-sandbox-e2e-kubeconfig-${process.pid}-${Date.now().toString(36)}`);
const lateKubeconfig = path.join(lateDir, 'config');

journey(
  'context: a kubeconfig that appears later is picked up by Refresh',
  async ({ vscode, step }) => {
    try {
      await step('no kubeconfig yet: the view says so and offers to choose one', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.page.locator('.part.sidebar .welcome-view-content', { hasText: /No kubeconfig was found/ }).waitFor({ state: 'visible', timeout: 60_000 });
        await vscode.page.locator('.part.sidebar .welcome-view-content .monaco-button', { hasText: /Choose Kubeconfig File/ }).waitFor({ state: 'visible' });
      });

      await step('the cluster gets a kubeconfig; Refresh shows it', async () => {
        fs.mkdirSync(lateDir, { recursive: true });
        fs.copyFileSync(clusterEnv()['KUBECONFIG'], lateKubeconfig);
        await vscode.sideBar.clickViewTitleAction('Refresh');
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
      });
    } finally {
      fs.rmSync(lateDir, { recursive: true, force: true });
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox', kubeconfig: lateKubeconfig },
);
