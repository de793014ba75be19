// Journey: a namespace with 1,000 sandboxes (over the default grouping threshold of 100) shows them
// grouped by state with counts; a filter narrows them and says so in the view, one click clears it;
// Reveal Sandbox… finds one by name and selects it in the tree. Two steps print how long the
// workbench took to show the rows ([timing] lines; reported, not asserted).
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';

import { clusterSkipReason, journey, kubectl, waitFor } from './harness';

const CONTEXT = 'agent-sandbox-local';
const NAMESPACE = 'e2e-fleet';
const SUSPENDED = 870;
const RUNNING = 8;
const UNSCHEDULABLE = 122;
const TOTAL = SUSPENDED + RUNNING + UNSCHEDULABLE;
const nameOf = (i: number) => `fleet-${String(i).padStart(4, '0')}`;
/** A Starting one, for Reveal Sandbox…. */
const FAR = nameOf(TOTAL - 58);

// Cheap sandboxes: no volumes; most start suspended (Hibernated: no pod at all), some never get a
// node (Starting), a few run on the KWOK node, so the 110-pod node is not filled.
function sandbox(i: number): string {
  const name = nameOf(i);
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
      await step(`create ${TOTAL} sandboxes in ${NAMESPACE} with kubectl`, async () => {
        kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NAMESPACE}}\n` });
        const all = Array.from({ length: TOTAL }, (_, i) => sandbox(i)).join('\n---\n');
        kubectl(['apply', '--server-side', '-f', '-'], { input: all, timeout: 300_000 });
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
        const t0 = performance.now();
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { timeout: 60_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Hibernated'], { timeout: 60_000 });
        console.log(`[timing] expand ${NAMESPACE} → Sandboxes → first group row rendered: ${Math.round(performance.now() - t0)} ms (${TOTAL} sandboxes)`);
        assert.match(await vscode.tree.treeItemDescription(await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes'])), new RegExp(`^${TOTAL}$`));
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Running'], { description: new RegExp(`^${RUNNING}$`), timeout: 60_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Starting'], { description: new RegExp(`^${UNSCHEDULABLE}$`), timeout: 60_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Hibernated'], { description: new RegExp(`^${SUSPENDED}$`), timeout: 60_000 });
        // No flat list of 1,000 rows: the sandboxes are one level further down.
        const rows = await vscode.tree.treeRows();
        assert.equal(rows.filter((r) => /^fleet-\d+$/.test(r.label)).length, 0, 'no sandbox rows directly under Sandboxes');
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Running']);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Running', nameOf(SUSPENDED)]);
        await vscode.readmeScreenshot('tree-fleet-grouped');
      });

      await step('reload the window: time until the 1,000-sandbox namespace shows its rows again', async () => {
        const t0 = performance.now();
        await vscode.reloadWindow();
        const reloaded = performance.now();
        await vscode.sideBar.openViewContainer('Agent Sandbox');
        await vscode.tree.expandTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { timeout: 120_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Hibernated'], { description: new RegExp(`^${SUSPENDED}$`), timeout: 120_000 });
        const shown = performance.now();
        // The .vsix's production bundle logs its own activation; the last line is this window's.
        const activations = [...vscode.extensionLog().matchAll(/activated in (\d+) ms/g)].map((m) => m[1]);
        console.log(
          `[timing] reload → workbench back ${Math.round(reloaded - t0)} ms; → activation, connect, list and the ${TOTAL}-sandbox groups rendered: ${Math.round(shown - t0)} ms; activation (production bundle, from its log): ${activations.at(-1) ?? '?'} ms`,
        );
      });

      await step('group by pool or claim, and back to state', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Group Sandboxes by Pool or Claim');
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'No pool or claim'], { description: new RegExp(`^${TOTAL}$`), timeout: 30_000 });
        await vscode.palette.runCommand('Agent Sandbox: Group Sandboxes by State');
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Hibernated'], { timeout: 30_000 });
      });

      await step('filter: name part and label; the view says so; below the threshold the list is flat', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Filter Sandboxes…');
        await vscode.palette.answerInputBox('fleet-00 label:team=red', { submit: false });
        await waitFor(async () => /50 of \d+ sandboxes match/.test(await vscode.palette.inputBoxMessage()), { timeout: 10_000, message: 'live match count' });
        await vscode.palette.answerInputBox('fleet-00 label:team=red');
        // fleet-0000…0099, odd ones: 50 — under the threshold, so shown flat.
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { description: new RegExp(`^50 of ${TOTAL}$`), timeout: 30_000 });
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'fleet-0001'], { timeout: 30_000 });
        await vscode.tree.waitForTreeItem(/^Filter: name ~ "fleet-00" · labels team=red/);
        const message = vscode.page.locator('.pane-body .message').filter({ hasText: 'Filtered:' });
        await waitFor(async () => (await message.count()) > 0, { timeout: 10_000, message: 'the view message' });
        assert.match((await message.first().textContent()) ?? '', /Filtered: name ~ "fleet-00" · labels team=red — 50 of \d+ sandboxes/);
        const rows = await vscode.tree.treeRows();
        assert.equal(rows.filter((r) => /^fleet-\d+$/.test(r.label) && Number(r.label.slice(6)) % 2 === 0).length, 0, 'no blue sandbox shown');
        await vscode.readmeScreenshot('tree-fleet-filtered');
      });

      await step('one click on the filter row clears it', async () => {
        await vscode.tree.clickTreeItem(/^Filter: name ~ "fleet-00"/);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes'], { description: new RegExp(`^${TOTAL}$`), timeout: 30_000 });
        await vscode.tree.waitForNoTreeItem(/^Filter: /);
        await vscode.tree.waitForTreePath([CONTEXT, NAMESPACE, 'Sandboxes', 'Starting'], { timeout: 30_000 });
      });

      await step('Reveal Sandbox… finds one by name and selects it inside its collapsed group', async () => {
        await vscode.palette.runCommand('Agent Sandbox: Reveal Sandbox…');
        await vscode.palette.answerInputBox(FAR, { submit: false });
        await waitFor(async () => (await vscode.palette.quickPickItems()).some((i) => i.startsWith(FAR)), {
          timeout: 20_000,
          message: `${FAR} in the pick`,
        });
        await vscode.palette.pickQuickPickItem(new RegExp(`^${FAR}`));
        // Revealed rows scroll the list (sticky ancestors), so the row is found by its label, not its path.
        const row = await vscode.tree.waitForTreeItem(FAR, { timeout: 30_000 });
        assert.ok(
          (await vscode.tree.treeRows()).some((r) => r.label === 'Starting' && r.expanded),
          'its group was expanded to show it',
        );
        await waitFor(async () => (await row.getAttribute('aria-selected')) === 'true', { timeout: 10_000, message: `${FAR} selected` });
      });
    } finally {
      try {
        // Waited for: the controller deleting 1,000 sandboxes would slow the journeys after this one.
        const t0 = performance.now();
        kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true', '--timeout=240s'], { timeout: 250_000 });
        console.log(`[timing] ${NAMESPACE} deleted in ${Math.round(performance.now() - t0)} ms`);
      } catch {
        /* the cluster may be gone; nothing to clean then */
      }
    }
  },
  { skip, waitForViewContainer: 'Agent Sandbox', timeout: 14 * 60_000 },
);
