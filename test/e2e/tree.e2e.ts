// Journey: a person opens the Agent Sandbox view and sees the local cluster's warm pool, and a claim
// made outside VS Code (kubectl) shows up in the tree without touching anything.
import assert from 'node:assert/strict';

import { clusterSkipReason, journey, kubectl } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'agent-sandbox-demo';
const POOL = 'python-pool';

// CI brings the cluster up before e2e; a contributor without one sees why this is skipped.
const skip = clusterSkipReason();

journey(
  'tree: warm pool and an outside claim appear live',
  async ({ vscode, step }) => {
    const claim = `e2e-claim-${Date.now().toString(36)}`;
    try {
      await step('open the Agent Sandbox view', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.sideBar.resizeSideBar(480); // room for the descriptions
      });

      await step(`the warm pool ${POOL} shows 2/2 ready`, async () => {
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Warm Pools'], { timeout: 60_000 });
        const row = await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Warm Pools', POOL], { description: /\b2\/2\b/, timeout: 60_000 });
        assert.match(await vscode.tree.treeItemDescription(row), /2\/2/);
        await vscode.readmeScreenshot('tree');
      });

      await step('a claim applied with kubectl appears by itself', async () => {
        // The group is opened first, as a person watching it would; then the claim must arrive by itself.
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Claims']);
        kubectl(['apply', '-f', '-'], {
          input: [
            'apiVersion: extensions.agents.x-k8s.io/v1beta1',
            'kind: SandboxClaim',
            'metadata:',
            `  name: ${claim}`,
            `  namespace: ${NAMESPACE}`,
            'spec:',
            '  warmPoolRef:',
            `    name: ${POOL}`,
            '',
          ].join('\n'),
        });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Claims', claim], { timeout: 60_000 });
        await vscode.readmeScreenshot('tree-claim');
      });
    } finally {
      try {
        kubectl(['delete', 'sandboxclaims.extensions.agents.x-k8s.io', claim, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
      } catch {
        /* the cluster may be gone; nothing to clean then */
      }
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox' },
);
