// Journey: an agent in VS Code uses the sandbox. A small test-only extension (test/e2e/lm-probe)
// plays the agent: it finds the Agent Sandbox tools in vscode.lm.tools and calls them through
// vscode.lm.invokeTool — claim from the gVisor pool, run `uname -r`. The person confirms each
// change VS Code asks about, then sees the agent's claim badged in the tree and the calls in
// Show Agent Activity.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clusterSkipReason, journey, kubectl, ROOT, waitFor } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-e2e-'));
const probeVsix = path.join(work, 'lm-probe.vsix');
const out = path.join(work, 'probe.json');
const claim = `e2e-agent-${Date.now().toString(36)}`;

const skip = clusterSkipReason();
if (!skip) {
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', probeVsix],
    { cwd: path.join(ROOT, 'test', 'e2e', 'lm-probe'), stdio: 'ignore' },
  );
}

interface ProbeOutput {
  tools: string[];
  steps: { name: string; text?: string; error?: string }[];
  done?: boolean;
}

const readProbe = (): ProbeOutput | undefined => {
  try {
    return JSON.parse(fs.readFileSync(out, 'utf8')) as ProbeOutput;
  } catch {
    return undefined;
  }
};

journey(
  'agent: language-model tools claim a gVisor sandbox and run a command; the tree badges it',
  async ({ vscode, step, t }) => {
    try {
      await step('open the Agent Sandbox view', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.sideBar.resizeSideBar(480);
        // Not 'Claims': the group shows only once a claim exists (none on a clean cluster).
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE], { timeout: 60_000 });
      });

      let confirmations: string[] = [];
      await step('the probe finds the tools and invokes them; each change is confirmed in VS Code', async () => {
        await vscode.palette.runCommand('Agent Sandbox Probe: Invoke Tools');
        const dialog = vscode.page.locator('.monaco-dialog-box');
        const seen: string[] = [];
        const result = await waitFor(
          async () => {
            // VS Code asks before a tool that changes something runs outside chat; the person allows it.
            if (await dialog.isVisible().catch(() => false)) {
              seen.push((await dialog.innerText().catch(() => '')) ?? '');
              await dialog
                .getByRole('button', { name: /^(Yes|OK|Allow|Continue)$/ })
                .first()
                .click();
            }
            const p = readProbe();
            return p?.done ? p : undefined;
          },
          { timeout: 240_000, interval: 250, message: async () => `the probe to finish (so far: ${JSON.stringify(readProbe())})` },
        );
        confirmations = seen;
        assert.deepEqual(result.tools.sort(), [
          'agentSandbox_claimSandbox',
          'agentSandbox_deleteClaim',
          'agentSandbox_hibernateSandbox',
          'agentSandbox_listDirectory',
          'agentSandbox_listSandboxes',
          'agentSandbox_listWarmPools',
          'agentSandbox_previewPort',
          'agentSandbox_readFile',
          'agentSandbox_resumeSandbox',
          'agentSandbox_runCommand',
          'agentSandbox_writeFile',
        ]);
        const [pools, claimed, ran] = result.steps;
        assert.match(pools.text ?? pools.error ?? '', /"name": "python-pool"[\s\S]*"runtime": "gVisor"/);
        assert.match(claimed.text ?? claimed.error ?? '', new RegExp(`Sandbox \\S+ is Ready \\(claim ${claim}, `));
        assert.match(ran.text ?? ran.error ?? '', /^Exit code 0\.[\s\S]*"stdout": "4\.4\.0\\n"/);
        // Two changes (claim, run) were asked about; the read (listWarmPools) was not.
        assert.equal(seen.length, 2, JSON.stringify(seen));
        assert.match(seen[0], /Claim Sandbox\?/);
        assert.match(seen[1], /Run Command in Sandbox\?[\s\S]*uname -r/);
        t.diagnostic(`confirmation dialogs shown: ${seen.map((s) => s.split('\n')[0]).join(' | ')}`);
      });

      await step('the claim shows in the tree with the agent badge', async () => {
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Claims'], { timeout: 60_000 });
        const row = await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Claims', claim], { description: /^agent · /, timeout: 60_000 });
        assert.match(await vscode.tree.treeItemDescription(row), /^agent · /);
        assert.equal(
          kubectl([
            'get',
            'sandboxclaims.extensions.agents.x-k8s.io',
            claim,
            '-n',
            NAMESPACE,
            '-o',
            'jsonpath={.metadata.labels.agents\\.x-k8s\\.io/created-by}',
          ]),
          'vscode-agent',
        );
        await vscode.readmeScreenshot('agent-tree');
      });

      await step('Show Agent Activity lists the calls (tool, sandbox, exit code), never the output', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Show Agent Activity');
        const items = await vscode.palette.quickPickItems({ placeholder: /Pick a call/ });
        assert.ok(
          items.some((i) => /runCommand/.test(i)),
          JSON.stringify(items),
        );
        assert.ok(
          items.some((i) => /claimSandbox/.test(i)),
          JSON.stringify(items),
        );
        await vscode.readmeScreenshot('agent-activity');
        await vscode.palette.dismissQuickInput();
      });
      t.diagnostic(`confirmations: ${confirmations.length}`);
    } finally {
      try {
        kubectl(['delete', 'sandboxclaims.extensions.agents.x-k8s.io', claim, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
      } catch {
        /* the cluster may be gone; nothing to clean then */
      }
    }
  },
  {
    skip,
    waitForViewContainer: 'Agent Sandbox',
    extraVsix: skip ? [] : [probeVsix],
    env: { AGENT_SANDBOX_PROBE_OUT: out, AGENT_SANDBOX_PROBE_CLAIM: claim },
    timeout: 8 * 60_000,
  },
);
