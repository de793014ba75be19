// End-to-end harness: the packaged extension in a real VS Code workbench (code-server), driven
// through the UI by Chromium with playwright-core, the way a person uses it.
//
// A journey (test/e2e/*.e2e.ts) does:
//
//   journey('the tree shows the warm pool', async ({ vscode, step }) => {
//     await step('open the view', () => vscode.sideBar.openViewContainer('Agent Sandbox'));
//     await step('see the pool', async () => {
//       await vscode.tree.expandTreePath(['agent-sandbox-local', 'agent-sandbox-demo', 'Warm Pools']);
//       await vscode.tree.waitForTreePath(['agent-sandbox-local', 'agent-sandbox-demo', 'Warm Pools', 'python-pool'],
//         { description: /2\/2/ });
//     });
//   }, { waitForViewContainer: 'Agent Sandbox' });
//
// `vscode` has one object per workbench area (harness/): sideBar, tree, palette (command palette,
// quick picks, input boxes), notifications, dialogs (modal confirmations), terminal, editors,
// webviews; reloadWindow() and screenshots are on `vscode` itself.
//
// Every wait is on visible state with a timeout; nothing sleeps a fixed time. A failing step leaves
// a screenshot and the code-server log tail in test-results/. With AGENT_SANDBOX_SCREENSHOTS=1,
// `vscode.readmeScreenshot(name)` writes docs/images/<name>.png for the README.
//
// This file is what the journeys import; the parts live in harness/.

export { e2eSupport, type Support } from './harness/canRun';
export { CLUSTER_ENV_FILE, clusterEnv, clusterSkipReason, kubectl, readyPoolSandboxes, type KubectlOptions } from './harness/cluster';
export type { Dialogs } from './harness/dialogs';
export type { Editors } from './harness/editors';
export { journey, type JourneyContext, type JourneyOptions } from './harness/journey';
export { TEST_SETTINGS, waitForWorkbench, type LaunchOptions, type VSCodeDirs } from './harness/launch';
export type { Notifications } from './harness/notifications';
export type { Palette } from './harness/palette';
export { DEFAULT_VSIX, README_IMAGES_DIR, RESULTS_DIR, ROOT } from './harness/paths';
export type { SideBar } from './harness/sideBar';
export type { Terminal } from './harness/terminal';
export { resolveTreePath, type Tree, type TreeItemOptions } from './harness/tree';
export { ensureVsix } from './harness/vsix';
export { VSCode } from './harness/vscode';
export { DEFAULT_TIMEOUT, waitFor, type WaitOptions } from './harness/wait';
export type { Webviews } from './harness/webviews';
