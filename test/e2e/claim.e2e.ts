// Journey: a person claims a sandbox from the demo warm pool with the command palette, opens a
// terminal in it and runs a command, edits a file of it from the Files node, then hibernates it and
// resumes it from the inline buttons; then claims again with More options (TTL, env) and sees
// "expires in" on the claim row. One VS Code launch; each step starts from what the one before
// left on screen, as it would for a person.
import assert from 'node:assert/strict';

import type { Locator } from 'playwright-core';

import { clusterSkipReason, journey, kubectl, type VSCode, waitFor } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const POOL = 'python-pool';
const CLAIM_CRD = 'sandboxclaims.extensions.agents.x-k8s.io';

const skip = clusterSkipReason();

/**
 * Clicks an inline button of the tree row at `path` (hover, then click the button with that title).
 * The live tree may re-render the row between hover and click (ages tick, statuses change); then
 * VS Code runs the command without its row and the command asks which sandbox, as it would for a
 * person, who then picks it. `pick` is that sandbox's label in the picker.
 */
async function clickRowAction(vscode: VSCode, path: string[], title: string, pick: string): Promise<void> {
  await vscode.tree.clickInlineActionAt(path, title);
  if (await vscode.palette.quickInput.isVisible()) await vscode.palette.pickQuickPickItem(new RegExp(`^\\s*${pick}\\b`));
}

/** The grey description of a located row. */
async function description(row: Locator): Promise<string> {
  const d = row.locator('.label-description');
  return (await d.count()) ? ((await d.first().textContent()) ?? '').trim() : '';
}

journey(
  'claim: new claim, terminal, files, hibernate and resume from the UI',
  async ({ vscode, step }) => {
    const claim = `e2e-${Date.now().toString(36)}`;
    const ttlClaim = `${claim}-ttl`;
    const claimPath = [CONTEXT, NAMESPACE, 'Claims', claim];
    let sandbox = '';
    const sandboxPath = () => [...claimPath, sandbox];
    try {
      await step('open the Agent Sandbox view with the warm pool', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.sideBar.resizeSideBar(520); // room for the descriptions
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Warm Pools'], { timeout: 60_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Warm Pools', POOL], { description: /\b[1-9]\d*\/\d+/, timeout: 60_000 });
      });

      await step('New Claim… from the palette → pick the pool → name → a warm sandbox is Running', async () => {
        await vscode.palette.runCommand('Agent Sandbox: New Claim…');
        const pools = await vscode.palette.quickPickItems({ placeholder: /New claim from which warm pool/ });
        assert.ok(pools.includes(POOL), `the pool is offered (offered: ${JSON.stringify(pools)})`);
        await vscode.palette.pickQuickPickItem(POOL);
        await vscode.palette.answerInputBox(claim, { prompt: /Claim name/ });
        await vscode.palette.pickQuickPickItem(/^\s*Create\s*$/);
        const toast = await vscode.notifications.waitForNotification(/is ready: .* in \d+ ms/, { timeout: 90_000 });
        const text = (await toast.locator('.notification-list-item-message').innerText()).trim();
        const m = /^Sandbox (\S+) is ready: (warm from the pool|cold \(the pool had no ready sandbox\)|ready), in (\d+) ms/.exec(text);
        assert.ok(m, `notification: ${text}`);
        assert.match(m[2], /warm|cold/, 'the notification says warm or cold');
        sandbox = m[1];
        await vscode.tree.expandTreePath(claimPath, { timeout: 30_000 });
        const row = await vscode.tree.waitForTreePath(sandboxPath(), { description: /^Running · gVisor/, timeout: 60_000 });
        assert.match(await description(row), /^Running · gVisor · (warm|cold)/);
        await vscode.notifications.clearNotifications();
      });

      await step('Open Terminal inline → echo e2e-$((6*7)) → e2e-42', async () => {
        await clickRowAction(vscode, sandboxPath(), 'Open Terminal', sandbox);
        await vscode.terminal.waitForTerminal(new RegExp(`^${sandbox}\\b.*${NAMESPACE}`), { timeout: 60_000 });
        // The shell is there once it prints its prompt.
        await vscode.terminal.waitForTerminalText(/[#$]\s*$/, { timeout: 60_000 });
        // gVisor too keeps the shell in a session: no "cannot persist" note.
        assert.doesNotMatch(await vscode.terminal.terminalText(), /Sessions cannot persist/);
        await vscode.terminal.typeInTerminal('echo e2e-$((6*7))');
        // The typed line shows "e2e-$((6*7))"; only the shell's output line is "e2e-42".
        await vscode.terminal.waitForTerminalText(/^e2e-42$/m, { timeout: 30_000 });
        await vscode.readmeScreenshot('terminal');
      });

      await step('Files: open a file, type into it, save → kubectl exec cat reads it back', async () => {
        const file = 'e2e-notes.txt';
        // Someone (an agent in the sandbox) wrote a file in its working directory.
        kubectl(['exec', '-n', NAMESPACE, sandbox, '--', 'sh', '-c', `printf 'written by the agent\\n' > ${file}`]);
        await vscode.tree.expandTreePath([...sandboxPath(), 'Files'], { timeout: 60_000 });
        const fileRow = await vscode.tree.waitForTreePath([...sandboxPath(), 'Files', file], { timeout: 60_000 });
        await fileRow.locator('.monaco-icon-label').click();
        await vscode.editors.waitForEditorTab(file);
        await vscode.editors.waitForEditorText('written by the agent');
        await vscode.editors.typeInEditor('edited in VS Code e2e-42\n', { atEnd: true });
        await vscode.editors.saveEditor();
        let content = '';
        await waitFor(() => (content = kubectl(['exec', '-n', NAMESPACE, sandbox, '--', 'cat', file])).includes('edited in VS Code e2e-42'), {
          message: `the saved text in ${file} (cat shows: ${JSON.stringify(content)})`,
        });
        assert.equal(content, 'written by the agent\nedited in VS Code e2e-42\n');
        await vscode.readmeScreenshot('files');
        await vscode.palette.runCommand('View: Close All Editors');
      });

      await step('Hibernate inline → Hibernated', async () => {
        await clickRowAction(vscode, sandboxPath(), 'Hibernate', sandbox);
        // The terminal's shell is in a session, which hibernating ends: it asks first.
        await vscode.dialogs.waitForDialog(new RegExp(`${sandbox} has 1 terminal session open`));
        await vscode.dialogs.clickDialogButton('Hibernate');
        await vscode.tree.waitForTreePath(sandboxPath(), { description: /^Hibernated\b/, timeout: 90_000 });
        await vscode.notifications.waitForNotification(new RegExp(`Hibernated ${sandbox} in`), { timeout: 30_000 });
        // The claim row says so too, and the Files node says why it cannot be browsed.
        await vscode.tree.waitForTreePath(claimPath, { description: /Hibernated/ });
        await vscode.tree.waitForTreePath([...sandboxPath(), 'Files'], { description: /unavailable \(hibernated\)/ });
        // Hibernating showed two toasts (this one and the terminal's "the shell ended"); Resume adds
        // two more (its progress and "Resumed"). VS Code toasts at most 3 notifications that arrive
        // within 800 ms (its spam protection) and KWOK resumes in 0.2 s, so the last one could go
        // straight to the notification centre. Clear them, as a person reading them would.
        await vscode.notifications.clearNotifications();
      });

      await step('Resume inline → Running again', async () => {
        await clickRowAction(vscode, sandboxPath(), 'Resume', sandbox);
        await vscode.tree.waitForTreePath(sandboxPath(), { description: /^Running\b/, timeout: 90_000 });
        await vscode.notifications.waitForNotification(new RegExp(`Resumed ${sandbox} in`), { timeout: 30_000 });
        await vscode.notifications.clearNotifications();
      });

      await step('New Claim… → More options: TTL 30m, env (cold start) → the claim row says "expires in 30 min"', async () => {
        await vscode.palette.runCommand('Agent Sandbox: New Claim…');
        await vscode.palette.pickQuickPickItem(POOL);
        await vscode.palette.answerInputBox(ttlClaim, { prompt: /Claim name/ });
        await vscode.palette.pickQuickPickItem(/More options/);
        await vscode.palette.answerInputBox('30m', { prompt: /Shut the claim down after/ });
        await vscode.palette.pickQuickPickItem(/^\s*Delete\s*$/);
        await vscode.palette.answerInputBox('E2E_GREETING=hello', { prompt: /force a COLD start/ });
        await vscode.palette.answerInputBox('team=e2e', { prompt: /Labels on the claim/ });
        await vscode.palette.answerInputBox('', { prompt: /Labels added to the sandbox pod/ });
        await vscode.palette.answerInputBox('', { prompt: /Annotations added to the sandbox pod/ });
        await vscode.notifications.waitForNotification(/is ready: cold/, { timeout: 90_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Claims', ttlClaim], { description: /expires in (30|29) min/, timeout: 60_000 });
        const obj = JSON.parse(kubectl(['get', CLAIM_CRD, ttlClaim, '-n', NAMESPACE, '-o', 'json']));
        assert.equal(obj.metadata.labels['agents.x-k8s.io/created-by'], 'vscode');
        assert.equal(obj.metadata.labels.team, 'e2e');
        assert.deepEqual(obj.spec.env, [{ name: 'E2E_GREETING', value: 'hello' }]);
        assert.equal(obj.spec.lifecycle.shutdownPolicy, 'Delete');
        await vscode.screenshot('claim-ttl-expires-in');
      });
    } finally {
      try {
        kubectl(['delete', CLAIM_CRD, claim, ttlClaim, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
      } catch {
        /* the cluster may be gone; nothing to clean then */
      }
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox', timeout: 6 * 60_000 },
);
