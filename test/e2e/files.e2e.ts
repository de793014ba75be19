// Journey: a person works with a sandbox's files from the tree: sees what the agent wrote, makes a
// folder, renames a file, deletes the folder behind the confirmation, then adds the sandbox folder
// to the workspace and finds the file in VS Code's own Explorer. State is checked from outside with
// kubectl exec, as another user would.
import assert from 'node:assert/strict';

import { clusterSkipReason, journey, kubectl, type VSCode, waitFor } from './harness';
import { claimWithKubectl } from '../support/sandboxes';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const CLAIM_CRD = 'sandboxclaims.extensions.agents.x-k8s.io';

const skip = clusterSkipReason();

/** Hovers a row and clicks its inline button with that title. */
async function inlineAction(vscode: VSCode, path: string[], title: string): Promise<void> {
  await vscode.tree.clickInlineActionAt(path, title);
}

const inPod = (sandbox: string, script: string): string => kubectl(['exec', '-n', NAMESPACE, sandbox, '--', 'sh', '-c', script]);

journey(
  'files: browse, new folder, rename, delete, open in workspace',
  async ({ vscode, step }) => {
    const claim = `e2e-files-${Date.now().toString(36)}`;
    let sandbox = '';
    const files = () => [CONTEXT, NAMESPACE, 'Claims', claim, sandbox, 'Files'];
    try {
      await step('a claimed sandbox in which the agent wrote notes.txt', async () => {
        sandbox = await claimWithKubectl(claim, NAMESPACE, 'python-pool');
        inPod(sandbox, "printf 'from the agent\\n' > notes.txt");
      });

      await step('Files under the sandbox lists notes.txt', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.sideBar.resizeSideBar(520);
        await vscode.tree.expandTreePath(files(), { timeout: 90_000 });
        await vscode.tree.waitForTreePath([...files(), 'notes.txt'], { timeout: 60_000 });
      });

      await step('New Folder… inline → from-e2e exists in the pod', async () => {
        await inlineAction(vscode, files(), 'New Folder…');
        await vscode.palette.answerInputBox('from-e2e');
        await vscode.tree.waitForTreePath([...files(), 'from-e2e'], { timeout: 30_000 });
        assert.equal(inPod(sandbox, 'test -d from-e2e && echo dir').trim(), 'dir');
      });

      await step('Rename… notes.txt → renamed notes.txt', async () => {
        await vscode.tree.contextMenu('notes.txt', 'Rename…');
        await vscode.palette.answerInputBox('renamed notes.txt');
        await vscode.tree.waitForTreePath([...files(), 'renamed notes.txt'], { timeout: 30_000 });
        assert.equal(inPod(sandbox, 'cat "renamed notes.txt"'), 'from the agent\n');
      });

      await step('Delete File… on from-e2e, confirmed in the dialog → gone from tree and pod', async () => {
        await vscode.tree.contextMenu('from-e2e', 'Delete File…');
        const dialog = vscode.page.locator('.monaco-dialog-box');
        await dialog.waitFor({ state: 'visible' });
        assert.match((await dialog.innerText()) ?? '', /cannot be undone/);
        await dialog.getByRole('button', { name: 'Delete' }).click();
        await vscode.tree.waitForNoTreeItem('from-e2e', { timeout: 30_000 });
        assert.equal(inPod(sandbox, 'test -e from-e2e && echo still-there || echo gone').trim(), 'gone');
      });

      await step('Open Sandbox Folder in Workspace → the Explorer shows the sandbox files', async () => {
        await vscode.tree.contextMenu('Files', 'Open Sandbox Folder in Workspace');
        // Adding a folder may restart the extension host; the Explorer lists the folder's files itself.
        const explorerRow = vscode.page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: 'renamed notes.txt' });
        await waitFor(
          async () => {
            if (
              await explorerRow
                .first()
                .isVisible()
                .catch(() => false)
            )
              return true;
            const folder = vscode.page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: sandbox }).first();
            if ((await folder.isVisible().catch(() => false)) && (await folder.getAttribute('aria-expanded')) === 'false') await folder.click();
            return false;
          },
          { message: 'renamed notes.txt in the Explorer', timeout: 90_000, interval: 1000 },
        );
        assert.doesNotMatch(await vscode.page.title(), /\(Workspace\)/, 'the folder itself is open, not an untitled workspace');
        await explorerRow.first().click();
        await vscode.editors.waitForEditorTab('renamed notes.txt');
        await vscode.editors.waitForEditorText('from the agent');
      });
    } finally {
      try {
        kubectl(['delete', CLAIM_CRD, claim, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
      } catch {
        /* the cluster may be gone */
      }
    }
  },
  // An empty window, where the command opens the folder itself. In a window with a folder it adds
  // one, and VS Code (not the extension) writes an untitled workspace and reloads into it; under
  // load code-server's workbench has come back from that reload with no folders at all (seen in CI).
  { skip, waitForViewContainer: 'Agent Sandbox', timeout: 8 * 60_000, emptyWindow: true },
);
