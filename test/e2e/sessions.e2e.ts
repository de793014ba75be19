// Journeys: persistent terminal sessions. A shell in a plain (runc) sandbox keeps running through a
// window reload, and the terminal comes back by itself attached to it, with what it printed
// meanwhile; hibernating a sandbox with a session open asks first, and after a resume the terminal
// says the old session ended. Sessions are opt-in under gVisor and the demo pool is gVisor, so each
// journey makes its own plain Sandbox with kubectl (as test/integration/sessions.test.ts does) and
// deletes it in a finally.
import assert from 'node:assert/strict';

import { clusterSkipReason, journey, kubectl, type VSCode, waitFor } from './harness';
import { plainSandboxManifest } from '../support/sandboxes';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const SANDBOX_CRD = 'sandboxes.agents.x-k8s.io';
// The count overwrites one line (\r), so the whole session, "Reattached" line included, stays on
// screen after a reattach replays it: the terminal's DOM holds only the visible rows.
const LOOP = `for i in $(seq 1000); do printf '\\rn%s' "$i"; sleep 1; done`;

const skip = clusterSkipReason();

const sandboxPath = (sandbox: string): string[] => [CONTEXT, NAMESPACE, 'Sandboxes', sandbox];
const terminalName = (sandbox: string): RegExp => new RegExp(`^${sandbox}\\b.*${NAMESPACE}`);

/** The highest `n<k>` line the loop printed that is on screen (0: none). */
const lastCount = (text: string): number => Math.max(0, ...[...text.matchAll(/^n(\d+)$/gm)].map((m) => Number(m[1])));

const operatingMode = (sandbox: string): string => kubectl(['get', SANDBOX_CRD, sandbox, '-n', NAMESPACE, '-o', 'jsonpath={.spec.operatingMode}']).trim();

/**
 * A plain Sandbox, Ready: no runtimeClassName, so it runs on kwok-node, whose exec runs real
 * processes on the host (the gVisor node is tainted for the gvisor RuntimeClass only).
 */
async function plainSandbox(sandbox: string): Promise<void> {
  kubectl(['apply', '-f', '-'], {
    input: JSON.stringify(plainSandboxManifest(sandbox, NAMESPACE, undefined, { nodeSelector: { 'agent-sandbox.local/runtime': 'runc' } })),
  });
  await waitFor(
    () => kubectl(['get', SANDBOX_CRD, sandbox, '-n', NAMESPACE, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).trim() === 'True',
    { message: `${sandbox} to be Ready`, timeout: 120_000 },
  );
}

function deleteSandbox(sandbox: string): void {
  try {
    kubectl(['delete', SANDBOX_CRD, sandbox, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
  } catch {
    /* the cluster may be gone; nothing to clean then */
  }
}

/** Opens the view with the sandbox row Running (not isolated: runc). */
async function showSandbox(vscode: VSCode, sandbox: string): Promise<void> {
  await vscode.sideBar.openViewContainer('Agent Sandbox');
  await vscode.sideBar.resizeSideBar(480); // room for the descriptions
  await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { timeout: 60_000 });
  await vscode.tree.waitForTreePath(sandboxPath(sandbox), { description: /^Running · runc\b/, timeout: 60_000 });
}

/**
 * Clicks an inline button of the sandbox's row and waits for what it opens. The live tree may
 * re-render the row between hover and click; then VS Code runs the command without its row and the
 * command asks which sandbox, as it would for a person, who picks it.
 */
async function clickRowAction(vscode: VSCode, sandbox: string, title: string, opened: () => Promise<boolean>): Promise<void> {
  await vscode.tree.clickInlineActionAt(sandboxPath(sandbox), title);
  await waitFor(async () => (await opened()) || (await vscode.palette.quickInput.isVisible()), {
    message: `what "${title}" opens, or the sandbox picker`,
    timeout: 60_000,
  });
  if (!(await opened())) await vscode.palette.pickQuickPickItem(new RegExp(`^\\s*${sandbox}\\b`));
}

/** Open Terminal inline, up to the shell's prompt; the shell runs in a session (no "cannot persist" note). */
async function openTerminal(vscode: VSCode, sandbox: string): Promise<void> {
  await clickRowAction(vscode, sandbox, 'Open Terminal', async () => (await vscode.terminal.terminalNames()).some((n) => terminalName(sandbox).test(n)));
  await vscode.terminal.waitForTerminal(terminalName(sandbox), { timeout: 60_000 });
  // The first terminal in a pod uploads the session helper (about 3 MB) before the shell starts.
  const text = await vscode.terminal.waitForTerminalText(/[#$]\s*$/, { timeout: 90_000 });
  assert.doesNotMatch(text, /Sessions cannot persist/, 'the shell is kept in a session');
}

journey(
  'sessions: a terminal survives a window reload',
  async ({ vscode, step }) => {
    const sandbox = `e2e-sess-${Date.now().toString(36)}`;
    let before = 0;
    try {
      await step('a plain (runc) sandbox made with kubectl is Running in the tree', async () => {
        await plainSandbox(sandbox);
        await showSandbox(vscode, sandbox);
      });

      await step('Open Terminal inline → a counting loop prints n3', async () => {
        await openTerminal(vscode, sandbox);
        await vscode.terminal.typeInTerminal(LOOP);
        before = lastCount(await vscode.terminal.waitForTerminalText(/^n3$/m, { timeout: 30_000 }));
      });

      let after = 0;
      await step('Developer: Reload Window → the terminal comes back by itself and the count went on', async () => {
        await vscode.reloadWindow({ waitForViewContainer: 'Agent Sandbox' });
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        // reattachOnReload "always": the extension reopens the terminal once the cluster is connected.
        await vscode.terminal.waitForTerminal(terminalName(sandbox), { timeout: 90_000 });
        let shown = '';
        after = await waitFor(
          async () => {
            const n = lastCount((shown = await vscode.terminal.terminalText()));
            return n > before ? n : 0;
          },
          { timeout: 90_000, message: () => `the count past n${before} (terminal shows:\n${shown})` },
        );
      });

      await step('the terminal says it reattached, replays from the start, and the loop is live', async () => {
        const top = await vscode.terminal.waitForTerminalText(/^Reattached \(session .+ old/m, { timeout: 10_000 });
        assert.doesNotMatch(top, /this is a new shell/, 'the same session, not a new one');
        assert.match(top, /for i in \$\(seq 1000\)/, 'what the shell showed before the reload is replayed (the typed loop)');
        let shown = '';
        await waitFor(async () => lastCount((shown = await vscode.terminal.terminalText())) > after, {
          timeout: 30_000,
          message: () => `the count past n${after} (terminal shows:\n${shown})`,
        });
      });
    } finally {
      deleteSandbox(sandbox);
    }
  },
  {
    skip,
    waitForViewContainer: 'Agent Sandbox',
    timeout: 6 * 60_000,
    settings: { 'agentSandbox.terminal.persistentSessions': true, 'agentSandbox.terminal.reattachOnReload': 'always' },
  },
);

journey(
  'sessions: hibernating a sandbox with live sessions warns first',
  async ({ vscode, step }) => {
    const sandbox = `e2e-sess-hib-${Date.now().toString(36)}`;
    const warning = new RegExp(`${sandbox} has 1 terminal session open\\. Hibernating ends it`);
    const dialogShows = () => vscode.dialogs.dialog.isVisible();
    try {
      await step('a plain (runc) sandbox made with kubectl is Running in the tree', async () => {
        await plainSandbox(sandbox);
        await showSandbox(vscode, sandbox);
      });

      await step('Open Terminal inline → a shell kept in a session', async () => {
        await openTerminal(vscode, sandbox);
        await vscode.terminal.typeInTerminal('echo alive-$((6*7))');
        await vscode.terminal.waitForTerminalText(/^alive-42$/m, { timeout: 30_000 });
      });

      await step('Hibernate inline → a modal warning names the session; Cancel → still Running, the shell answers', async () => {
        await clickRowAction(vscode, sandbox, 'Hibernate', dialogShows);
        const text = await vscode.dialogs.waitForDialog(warning);
        assert.match(text, /the files on volumes are kept/);
        await vscode.dialogs.clickDialogButton('Cancel');
        assert.notEqual(operatingMode(sandbox), 'Suspended', 'nothing was patched');
        await vscode.terminal.typeInTerminal('echo still-$((40+2))');
        await vscode.terminal.waitForTerminalText(/^still-42$/m, { timeout: 30_000 });
        await vscode.tree.waitForTreePath(sandboxPath(sandbox), { description: /^Running\b/ });
        assert.notEqual(operatingMode(sandbox), 'Suspended', 'still not hibernated');
      });

      await step('Hibernate again, confirmed → Hibernated; the terminal says the shell ended', async () => {
        await clickRowAction(vscode, sandbox, 'Hibernate', dialogShows);
        await vscode.dialogs.waitForDialog(warning);
        await vscode.dialogs.clickDialogButton('Hibernate');
        // The terminal's own Resume offer comes as soon as the hibernate is asked for (waited for
        // first: an information toast goes away by itself after a while).
        await vscode.notifications.waitForNotification(`${sandbox}: The sandbox was hibernated; the shell ended.`, { timeout: 60_000 });
        await vscode.terminal.waitForTerminalText('The sandbox was hibernated; the shell ended.', { timeout: 30_000 });
        await vscode.tree.waitForTreePath(sandboxPath(sandbox), { description: /^Hibernated\b/, timeout: 90_000 });
        await vscode.notifications.waitForNotification(new RegExp(`Hibernated ${sandbox} in`), { timeout: 30_000 });
        assert.equal(operatingMode(sandbox), 'Suspended');
      });

      await step('R in the terminal resumes → a new shell, and the terminal says the earlier session ended', async () => {
        await vscode.notifications.clearNotifications();
        // The hint under the message: "Press R to resume it (or use the Resume button), or Esc …".
        await vscode.terminal.typeInTerminal('r', { enter: false });
        await vscode.terminal.waitForTerminalText(`Resuming ${sandbox}… waiting for Ready`, { timeout: 30_000 });
        await vscode.terminal.waitForTerminalText(/The earlier session ended when the sandbox was hibernated; this is a new shell\.[\s\S]*[#$]\s*$/, {
          timeout: 120_000,
        });
        await vscode.tree.waitForTreePath(sandboxPath(sandbox), { description: /^Running\b/, timeout: 90_000 });
        await vscode.terminal.typeInTerminal('echo fresh-$((6*7))');
        await vscode.terminal.waitForTerminalText(/^fresh-42$/m, { timeout: 30_000 });
      });
    } finally {
      deleteSandbox(sandbox);
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox', timeout: 6 * 60_000 },
);
