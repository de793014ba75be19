// Journey: a namespace with 150 sandboxes (over the default grouping threshold of 100) shows them
// grouped by state with counts; a filter narrows them and says so in the view, one click clears it;
// Reveal Sandbox… finds one by name and selects it in the tree.
import assert from 'node:assert/strict';

import { clusterSkipReason, journey, kubectl, waitFor } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'e2e-fleet';
const SUSPENDED = 30;
const UNSCHEDULABLE = 112;
const RUNNING = 8;

// Cheap sandboxes: no volumes; most never get a node (Starting) or start suspended (Hibernated),
// a few run on the KWOK node, so the 110-pod node is not filled.
function sandbox(i: number): string {
  const name = `fleet-${String(i).padStart(3, '0')}`;
  const suspended = i < SUSPENDED;
  const running = i >= SUSPENDED && i < SUSPENDED + RUNNING;
  return [
    'apiVersion: agents.x-k8s.io/v1beta1',
    'kind: Sandbox',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${NAMESPACE}`,
    `  labels: {team: ${i % 2 ? 'red' : 'blue'}}`,
    'spec:',
    `  operatingMode: ${suspended ? 'Suspended' : 'Running'}`,
    '  podTemplate:',
    '    spec:',
    `      nodeSelector: {kubernetes.io/hostname: ${running ? 'kwok-node' : 'no-such-node'}}`,
    '      containers:',
    '      - {name: agent, image: busybox, command: [sleep, infinity], resources: {requests: {cpu: 10m, memory: 16Mi}}}',
  ].join('\n');
}

const skip = clusterSkipReason();

journey(
  'fleet tree: grouping, filter and clear, Reveal Sandbox…',
  async ({ vscode, step }) => {
    try {
      await step(`create ${SUSPENDED + UNSCHEDULABLE + RUNNING} sandboxes in ${NAMESPACE} with kubectl`, async () => {
        kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NAMESPACE}}\n` });
        const all = Array.from({ length: SUSPENDED + UNSCHEDULABLE + RUNNING }, (_, i) => sandbox(i)).join('\n---\n');
        kubectl(['apply', '-f', '-'], { input: all, timeout: 120_000 });
        await waitFor(
          () => {
            const ready = kubectl([
              'get',
              'sandboxes.agents.x-k8s.io',
              '-n',
              NAMESPACE,
              '-o',
              'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
            ]);
            return ready.split('\n').filter((s) => s === 'True').length === RUNNING;
          },
          { timeout: 120_000, message: `${RUNNING} sandboxes Ready` },
        );
      });

      await step('open the view: the namespace shows its sandboxes grouped by state, with counts', async () => {
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.sideBar.resizeSideBar(480);
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { timeout: 60_000 });
        assert.match(await vscode.tree.treeItemDescription(await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes'])), /^150$/);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Running'], { description: new RegExp(`^${RUNNING}$`), timeout: 60_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Starting'], { description: new RegExp(`^${UNSCHEDULABLE}$`), timeout: 60_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Hibernated'], { description: new RegExp(`^${SUSPENDED}$`), timeout: 60_000 });
        // No flat list of 150 rows: the sandboxes are one level further down.
        const rows = await vscode.tree.treeRows();
        assert.equal(rows.filter((r) => /^fleet-\d+$/.test(r.label)).length, 0, 'no sandbox rows directly under Sandboxes');
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Running']);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Running', `fleet-0${SUSPENDED}`]);
        await vscode.readmeScreenshot('tree-fleet-grouped');
      });

      await step('group by pool or claim, and back to state', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Group Sandboxes by Pool or Claim');
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'No pool or claim'], { description: /^150$/, timeout: 30_000 });
        await vscode.palette.runCommand('Agent Sandbox: Group Sandboxes by State');
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Hibernated'], { timeout: 30_000 });
      });

      await step('filter: name part and label; the view says so; below the threshold the list is flat', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Filter Sandboxes…');
        await vscode.palette.answerInputBox('fleet-0 label:team=red', { submit: false });
        await waitFor(async () => /50 of \d+ sandboxes match/.test(await vscode.palette.inputBoxMessage()), { timeout: 10_000, message: 'live match count' });
        await vscode.palette.answerInputBox('fleet-0 label:team=red');
        // fleet-000…099, odd ones: 50 — under the threshold, so shown flat.
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { description: /^50 of 150$/, timeout: 30_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'fleet-001'], { timeout: 30_000 });
        await vscode.tree.waitForTreeItem(/^Filter: name ~ "fleet-0" · labels team=red/);
        const message = vscode.page.locator('.pane-body .message').filter({ hasText: 'Filtered:' });
        await waitFor(async () => (await message.count()) > 0, { timeout: 10_000, message: 'the view message' });
        assert.match((await message.first().textContent()) ?? '', /Filtered: name ~ "fleet-0" · labels team=red — 50 of \d+ sandboxes/);
        const rows = await vscode.tree.treeRows();
        assert.equal(rows.filter((r) => /^fleet-\d+$/.test(r.label) && Number(r.label.slice(6)) % 2 === 0).length, 0, 'no blue sandbox shown');
        await vscode.readmeScreenshot('tree-fleet-filtered');
      });

      await step('one click on the filter row clears it', async () => {
        await vscode.tree.clickTreeItem(/^Filter: name ~ "fleet-0"/);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { description: /^150$/, timeout: 30_000 });
        await vscode.tree.waitForNoTreeItem(/^Filter: /);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Starting'], { timeout: 30_000 });
      });

      await step('Reveal Sandbox… finds one by name and selects it inside its collapsed group', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Reveal Sandbox…');
        await vscode.palette.answerInputBox('fleet-142', { submit: false });
        await waitFor(async () => (await vscode.palette.quickPickItems()).some((i) => i.startsWith('fleet-142')), {
          timeout: 20_000,
          message: 'fleet-142 in the pick',
        });
        await vscode.palette.pickQuickPickItem(/^fleet-142/);
        // Revealed rows scroll the list (sticky ancestors), so the row is found by its label, not its path.
        const row = await vscode.tree.waitForTreeItem('fleet-142', { timeout: 30_000 });
        assert.ok(
          (await vscode.tree.treeRows()).some((r) => r.label === 'Starting' && r.expanded),
          'its group was expanded to show it',
        );
        await waitFor(async () => (await row.getAttribute('aria-selected')) === 'true', { timeout: 10_000, message: 'fleet-142 selected' });
      });
    } finally {
      try {
        kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
      } catch {
        /* the cluster may be gone; nothing to clean then */
      }
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox', timeout: 8 * 60_000 },
);
