// Journey: a person opens a sandbox's web app from the tree with Open Preview…: with the context's
// router URL set it shows in the Simple Browser through the real sandbox router (path routing);
// after clearing the URL with Set Sandbox Router URL… the same opens through the exec relay. The
// server is started from outside with kubectl exec, bound to the pod's own address ($POD_IP).
import assert from 'node:assert/strict';

import { clusterEnv, clusterSkipReason, journey, kubectl, type VSCode, waitFor } from './harness';
import { claimWithKubectl } from '../support/sandboxes';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const CLAIM_CRD = 'sandboxclaims.extensions.agents.x-k8s.io';
const PORT = 8000;

const skip = clusterSkipReason();
const routerUrl = skip ? '' : (clusterEnv()['ROUTER_URL'] ?? '');

/** The text of the page the Simple Browser shows (its webview holds the page in an inner iframe). */
async function simpleBrowserText(vscode: VSCode): Promise<string> {
  const frame = await vscode.webviews.webview(/Simple Browser/);
  return frame
    .frameLocator('iframe')
    .locator('body')
    .innerText({ timeout: 5_000 })
    .catch(() => '');
}

async function openPreview(vscode: VSCode, sandboxPath: string[]): Promise<void> {
  await vscode.tree.clickInlineActionAt(sandboxPath, 'Open Preview…');
  await vscode.palette.pickQuickPickItem(String(PORT), { timeout: 60_000 });
}

journey(
  'preview: Open Preview shows a gVisor sandbox page through the router, else the relay',
  async ({ vscode, step }) => {
    const claim = `e2e-preview-${Date.now().toString(36)}`;
    let sandbox = '';
    const token = `page from the sandbox ${Date.now()}`;
    try {
      await step('a claimed gVisor sandbox serves a page on its pod IP', async () => {
        assert.ok(routerUrl, 'the cluster env has ROUTER_URL');
        sandbox = await claimWithKubectl(claim, NAMESPACE, 'python-pool');
        // Data as arguments; the server runs on after kubectl exec returns (its output goes nowhere).
        kubectl([
          'exec',
          '-n',
          NAMESPACE,
          sandbox,
          '--',
          'sh',
          '-c',
          'mkdir -p www && printf "<h1>%s</h1>" "$1" > www/index.html && (python3 -m http.server "$2" --bind "$POD_IP" --directory www >/dev/null 2>&1 </dev/null &)',
          'sh',
          token,
          String(PORT),
        ]);
      });

      const row = () => [CONTEXT, NAMESPACE, 'Claims', claim, sandbox];
      await step('Open Preview… on the sandbox shows the page in the Simple Browser through the router', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.sideBar.resizeSideBar(480);
        await vscode.tree.waitForTreePath(row(), { timeout: 90_000 });
        await openPreview(vscode, row());
        await vscode.notifications.waitForNotification(/through the Sandbox Router/, { timeout: 60_000 });
        const notes = (await vscode.notifications.notifications()).join('\n');
        assert.ok(notes.includes(`${routerUrl}/${NAMESPACE}/${sandbox}/${PORT}/`), `the notification names the router URL: ${notes}`);
        await waitFor(async () => (await simpleBrowserText(vscode)).includes(token), { message: 'the page in the Simple Browser', timeout: 60_000 });
        await vscode.readmeScreenshot('preview-router');
      });

      await step('the details panel lists the listening port with the server process, the router as reachable, and its Preview uses the router', async () => {
        await vscode.notifications.clearNotifications();
        await vscode.tree.clickInlineActionAt(row(), 'Show Details');
        const tab = vscode.page.locator('.tabs-container .tab', { hasText: `Sandbox ${sandbox}` });
        await waitFor(async () => (await tab.count()) > 0 || (await vscode.palette.quickInput.isVisible()), {
          message: 'the details panel or the sandbox picker',
        });
        if ((await tab.count()) === 0) await vscode.palette.pickQuickPickItem(sandbox);
        const frame = await vscode.webviews.webview(new RegExp(`Sandbox ${sandbox}`));
        const port = frame.locator('#ports li.port').filter({ hasText: String(PORT) });
        await port.waitFor({ state: 'visible', timeout: 60_000 });
        assert.match(await port.innerText(), /python3/);
        await waitFor(async () => /reachable/.test(await frame.locator('#router-status').innerText()), {
          message: 'the router status "reachable"',
          timeout: 60_000,
        });
        assert.doesNotMatch(await frame.locator('#router-status').innerText(), /unreachable|not configured/);
        await frame.locator('#ports').scrollIntoViewIfNeeded();
        await vscode.readmeScreenshot('details-reach');
        await frame.locator(`button[data-port-action="preview-${PORT}"]`).click();
        await vscode.notifications.waitForNotification(/through the Sandbox Router/, { timeout: 60_000 });
        // Loaded before the next step: a Simple Browser that finishes loading takes the focus, which
        // closes an input box opened meanwhile.
        await waitFor(async () => (await simpleBrowserText(vscode)).includes(token), { message: 'the page in the Simple Browser', timeout: 60_000 });
      });

      await step('with the router URL cleared, the same preview goes through the exec relay and says why', async () => {
        await vscode.notifications.clearNotifications();
        await vscode.palette.runCommand('Agent Sandbox: Set Sandbox Router URL…');
        await vscode.palette.answerInputBox('');
        await vscode.notifications.waitForNotification(/removed; previews use the exec relay/);
        await openPreview(vscode, row());
        const note = await vscode.notifications.waitForNotification(/through the exec relay/, { timeout: 60_000 });
        assert.match(await note.innerText(), /because no router URL is set for context "agent-sandbox-local"/);
        await waitFor(async () => (await simpleBrowserText(vscode)).includes(token), { message: 'the page through the relay', timeout: 60_000 });
      });
    } finally {
      try {
        kubectl(['delete', CLAIM_CRD, claim, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
      } catch {
        /* the cluster may be gone */
      }
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox', timeout: 8 * 60_000, settings: routerUrl ? { 'agentSandbox.router.urls': { [CONTEXT]: routerUrl } } : {} },
);
