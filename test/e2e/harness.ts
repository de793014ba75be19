// End-to-end harness: the packaged extension in a real VS Code workbench (code-server), driven
// through the UI by Chromium with playwright-core, the way a person uses it.
//
// A journey (test/e2e/*.e2e.ts) does:
//
//   journey('the tree shows the warm pool', async ({ vscode, step }) => {
//     await step('open the view', () => vscode.openViewContainer('Agent Sandbox'));
//     await step('see the pool', async () => {
//       await vscode.expandTreePath(['agent-sandbox-local', 'agent-sandbox-demo', 'Warm Pools']);
//       await vscode.waitForTreePath(['agent-sandbox-local', 'agent-sandbox-demo', 'Warm Pools', 'python-pool'],
//         { description: /2\/2/ });
//     });
//   }, { waitForViewContainer: 'Agent Sandbox' });
//
// Every wait is on visible state with a timeout; nothing sleeps a fixed time. A failing step leaves
// a screenshot and the code-server log tail in test-results/. With AGENT_SANDBOX_SCREENSHOTS=1,
// `vscode.readmeScreenshot(name)` writes docs/images/<name>.png for the README.

/// <reference lib="dom" />

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';

import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

import {
  CHROMIUM_ARGS,
  chromiumPath,
  e2eSupport as codeServerSupport,
  ensureAll,
  installExtension,
  PROJECT_ROOT,
  startCodeServer,
  writeUserSettings,
  type CodeServerInstall,
  type RunningCodeServer,
} from '../../scripts/codeserver.mjs';
import { preparePlayground } from '../../scripts/playground.mjs';

export const ROOT = PROJECT_ROOT;
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const README_IMAGES_DIR = path.join(ROOT, 'docs', 'images');
export const DEFAULT_VSIX = path.join(ROOT, 'dist', 'agent-sandbox.vsix');
/** Where test/cluster/up.sh writes `KUBECONFIG=…`. */
export const CLUSTER_ENV_FILE = process.env.AS_CLUSTER_RUN
  ? path.join(process.env.AS_CLUSTER_RUN, 'env')
  : '/dev/shm/agent-sandbox-vscode/env';

/** Default time any single wait may take. Workbench start and cluster reactions can be slow on 2 cores. */
export const DEFAULT_TIMEOUT = Number(process.env.AGENT_SANDBOX_E2E_TIMEOUT ?? 30_000);

const log = (msg: string) => process.stderr.write(`[e2e] ${msg}\n`);

/** Settings for test profiles: no trust prompt, readable terminal DOM, no welcome page or chat. */
export const TEST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

// ---------------------------------------------------------------------------------------------
// Can e2e run here?

export type Support = { ok: true; reason?: undefined } | { ok: false; reason: string };

/**
 * Whether the e2e journeys can run on this machine (Linux, Chromium present or installable with
 * apt as root, code-server cached or installable). Installs nothing. The reason says why not.
 */
export function e2eSupport(): Support {
  return codeServerSupport();
}

// ---------------------------------------------------------------------------------------------
// Small utilities

export interface WaitOptions {
  timeout?: number;
  /** What was being waited for, for the error message (a function is called only on timeout). */
  message?: string | (() => string | Promise<string>);
  interval?: number;
}

/** Polls `fn` until it returns a truthy value (returned) or the timeout passes (throws). */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  const deadline = Date.now() + timeout;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : last !== undefined ? ` (last value: ${JSON.stringify(last)})` : '';
      const what = typeof opts.message === 'function' ? await opts.message() : opts.message;
      throw new Error(`timed out after ${timeout} ms waiting for ${what ?? 'a condition'}${detail}`);
    }
    await new Promise((r) => setTimeout(r, opts.interval ?? 200));
  }
}

function matches(text: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? text.trim() === want : want.test(text);
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'screenshot';
}

/** Index of the row at a path of labels in a flat list of rows with aria levels, or -1. */
export function resolveTreePath(rows: Array<{ label: string; level: number }>, labels: Array<string | RegExp>): number {
  const hit = (i: number, want: string | RegExp) => matches(rows[i].label, want);
  for (let start = 0; start < rows.length; start++) {
    if (!hit(start, labels[0])) continue;
    let at = start;
    let ok = true;
    for (const want of labels.slice(1)) {
      const level = rows[at].level;
      let next = -1;
      for (let j = at + 1; j < rows.length && rows[j].level > level; j++) {
        if (rows[j].level === level + 1 && hit(j, want)) { next = j; break; }
      }
      if (next < 0) { ok = false; break; }
      at = next;
    }
    if (ok) return at;
  }
  return -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Reads test/cluster/up.sh's env file (KEY=VALUE lines). Throws when the cluster is not up. */
/**
 * Why a journey cannot run (the local cluster is not up), or false. Under CI there is no such
 * excuse: false is returned so the journey runs and fails loudly.
 */
export function clusterSkipReason(): string | false {
  try {
    clusterEnv();
    return false;
  } catch (err) {
    return process.env.CI ? false : (err as Error).message;
  }
}

/** Names of the pool's sandboxes whose Ready condition is True, read with kubectl. */
export function readyPoolSandboxes(namespace: string, pool: string): string[] {
  return kubectl(['get', 'sandboxes.agents.x-k8s.io', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'])
    .split('\n')
    .filter((l) => l.startsWith(`${pool}-`) && l.endsWith(' True'))
    .map((l) => l.split(' ')[0]);
}

export function clusterEnv(): Record<string, string> {
  if (!fs.existsSync(CLUSTER_ENV_FILE)) {
    throw new Error(`the local cluster is not up (${CLUSTER_ENV_FILE} is missing): run \`npm run cluster:up\``);
  }
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(CLUSTER_ENV_FILE, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  if (!env.KUBECONFIG) throw new Error(`${CLUSTER_ENV_FILE} has no KUBECONFIG=`);
  return env;
}

/** Runs kubectl against the local cluster "from outside" the extension. Throws on failure. */
export function kubectl(args: string[], opts: { input?: string; context?: string; timeout?: number } = {}): string {
  const { KUBECONFIG, KUBECTL } = clusterEnv();
  const full = [...(opts.context ? ['--context', opts.context] : []), ...args];
  const res = spawnSync(KUBECTL && fs.existsSync(KUBECTL) ? KUBECTL : 'kubectl', full, {
    env: { ...process.env, KUBECONFIG },
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeout ?? 60_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(`kubectl ${full.join(' ')} failed: ${res.error?.message ?? res.stderr.trim()}`);
  }
  return res.stdout;
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/**
 * Makes sure dist/agent-sandbox.vsix exists and is newer than the sources; runs `npm run package`
 * when it is not. Returns its path.
 */
export function ensureVsix(vsix = DEFAULT_VSIX): string {
  if (vsix !== DEFAULT_VSIX) return vsix;
  const sources = ['src', 'webviews', 'media', 'helper', 'package.json', 'scripts/build.mjs', 'scripts/build-helper.mjs'].map((p) => path.join(ROOT, p));
  const stale = !fs.existsSync(vsix) || Math.max(...sources.map(newestMtime)) > fs.statSync(vsix).mtimeMs;
  if (stale && process.env.AGENT_SANDBOX_E2E_NO_PACKAGE !== '1') {
    log('packaging the extension (npm run package)…');
    const res = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    if (res.status !== 0) {
      throw new Error(`npm run package failed:\n${`${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
    }
  }
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\``);
  return vsix;
}

// ---------------------------------------------------------------------------------------------
// The workbench

/**
 * The label of a quick pick row. Not any `.label-name` in the row: an item's detail line is a second
 * icon label with its own `.label-name` (a context whose cluster is named like another context would
 * match that context's label).
 */
const QUICK_PICK_LABEL = '.quick-input-list-rows > .quick-input-list-row:first-child .label-name';

function activityBarItem(page: Page, title: string): Locator {
  return page
    .locator('.part.activitybar .action-item')
    .filter({ has: page.locator(`[aria-label^="${title.replace(/"/g, '\\"')}"]`) })
    .first();
}

export interface LaunchOptions {
  /** .vsix to install; default dist/agent-sandbox.vsix (packaged first if stale). `null` installs none. */
  vsix?: string | null;
  /** More .vsix files to install. */
  extraVsix?: string[];
  /** Folder to open; default a fresh empty temp folder. */
  folder?: string;
  /** Extra user settings (merged over TEST_SETTINGS). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and the extension host. */
  env?: Record<string, string | undefined>;
  /** KUBECONFIG for the extension host. Default: the local cluster's (if up). `null`: leave unset. */
  kubeconfig?: string | null;
  viewport?: { width: number; height: number };
  /** Wait for this view container to be in the activity bar before returning. */
  waitForViewContainer?: string;
  /**
   * Set the profile up exactly as `npm start` does (scripts/playground.mjs: its settings, not
   * TEST_SETTINGS, plus `settings`), to test what a person gets from `npm start`.
   */
  playground?: boolean;
}

export interface TreeItemOptions extends WaitOptions {
  /** The item's description (the grey text after the label) must match. */
  description?: string | RegExp;
}

export interface VSCodeDirs {
  root: string;
  userData: string;
  extensions: string;
  folder: string;
}

/** One running code-server + Chromium page, with the actions a person takes. */
export class VSCode {
  private constructor(
    readonly page: Page,
    readonly browser: Browser,
    readonly server: RunningCodeServer,
    readonly dirs: VSCodeDirs,
    /** Milliseconds from launch() to a workbench with the extension's view container (if waited for). */
    readonly startupMs: number,
  ) {}

  static async launch(opts: LaunchOptions = {}): Promise<VSCode> {
    const started = Date.now();
    const support = e2eSupport();
    if (!support.ok) throw new Error(`e2e cannot run here: ${support.reason}`);
    const install = await ensureAll({ log });
    const vsixes = [...(opts.vsix === null ? [] : [ensureVsix(opts.vsix ?? DEFAULT_VSIX)]), ...(opts.extraVsix ?? [])];
    const packaged = Date.now();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-sandbox-e2e-'));
    try {
      return await VSCode.start(opts, root, install, vsixes, started, packaged);
    } catch (err) {
      if (process.env.AGENT_SANDBOX_E2E_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
      throw err;
    }
  }

  private static async start(
    opts: LaunchOptions, root: string, install: CodeServerInstall, vsixes: string[], started: number, packaged: number,
  ): Promise<VSCode> {
    const dirs: VSCodeDirs = {
      root,
      userData: path.join(root, 'user-data'),
      extensions: path.join(root, 'extensions'),
      folder: opts.folder ?? path.join(root, 'workspace'),
    };
    fs.mkdirSync(dirs.folder, { recursive: true });
    if (opts.playground) {
      if (vsixes.length !== 1) throw new Error('a playground launch installs exactly the one .vsix npm start serves');
      await preparePlayground(install, { vsix: vsixes[0], extensionsDir: dirs.extensions, userDataDir: dirs.userData, workspace: dirs.folder, settings: opts.settings, log });
    } else {
      writeUserSettings(dirs.userData, { ...TEST_SETTINGS, ...opts.settings });
      for (const v of vsixes) await installExtension(install, v, { extensionsDir: dirs.extensions, userDataDir: dirs.userData, log });
    }
    const installed = Date.now();

    let kubeconfig = opts.kubeconfig;
    if (kubeconfig === undefined) {
      try { kubeconfig = clusterEnv().KUBECONFIG; } catch { kubeconfig = null; }
    }
    const env: Record<string, string | undefined> = { ...opts.env };
    if (kubeconfig) env.KUBECONFIG = kubeconfig;

    const server = await startCodeServer(install, {
      userDataDir: dirs.userData,
      extensionsDir: dirs.extensions,
      folder: dirs.folder,
      env,
      logFile: path.join(root, 'code-server.log'),
      log,
    });
    const served = Date.now();
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 860 } });
      const page = await context.newPage();
      page.setDefaultTimeout(DEFAULT_TIMEOUT);
      await page.goto(server.folderUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      // The activity bar and the status bar are drawn once the workbench has restored.
      await page.locator('.part.activitybar, .part.statusbar').first().waitFor({ state: 'visible', timeout: 60_000 });
      if (opts.waitForViewContainer) {
        await activityBarItem(page, opts.waitForViewContainer).waitFor({ state: 'visible', timeout: 60_000 });
      }
      const ms = Date.now() - started;
      const sec = (a: number, b: number) => `${((b - a) / 1000).toFixed(1)} s`;
      log(`workbench ready in ${sec(started, Date.now())} (package check ${sec(started, packaged)}, install extension ${sec(packaged, installed)}, code-server ${sec(installed, served)}, workbench ${sec(served, Date.now())})`);
      return new VSCode(page, browser, server, dirs, ms);
    } catch (err) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw err;
    }
  }

  /** Stops Chromium and code-server (with its extension host) and removes the temp dirs. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (process.env.AGENT_SANDBOX_E2E_KEEP !== '1') fs.rmSync(this.dirs.root, { recursive: true, force: true });
  }

  /** The last lines of code-server's log (extension host errors show there). */
  serverLogTail(lines = 40): string {
    try {
      return fs.readFileSync(this.server.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  // ---- activity bar and views ---------------------------------------------------------------

  /** The activity bar entry of a view container; its aria-label starts with the container's title. */
  activityBarItem(title: string): Locator {
    return activityBarItem(this.page, title);
  }

  /** Opens a view container from the activity bar (a click only if it is not open already). */
  async openViewContainer(title = 'Agent Sandbox', opts: WaitOptions = {}): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title .title-label');
    const isOpen = async () => (await this.page.locator('.part.sidebar').isVisible())
      && matches((await sidebarTitle.textContent().catch(() => '')) ?? '', new RegExp(`^${escapeRegExp(title)}`, 'i'));
    if (!(await isOpen())) await item.click();
    await waitFor(isOpen, { ...opts, message: `the side bar to show "${title}"` });
  }

  /** A view's pane header in the side bar (e.g. "Clusters"), to expand or focus it. */
  viewPane(name: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}`, 'i') }),
    });
  }

  /** Expands a collapsed view pane in the side bar. */
  async expandView(name: string): Promise<void> {
    const header = this.viewPane(name).locator('.pane-header');
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  }

  /** All visible tree rows of the side bar whose label is exactly `label` (or matches the RegExp). */
  treeItem(label: string | RegExp): Locator {
    const labelRe = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
    return this.page
      .locator('.part.sidebar .monaco-list-row[role="treeitem"]')
      .filter({ has: this.page.locator('.label-name', { hasText: labelRe }) });
  }

  /** Label and description of each visible tree row in the side bar, top to bottom. */
  async treeRows(): Promise<Array<{ label: string; description: string; level: number; expanded?: boolean }>> {
    return this.page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').evaluateAll((rows) => rows.map((r) => ({
      label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
      level: Number(r.getAttribute('aria-level') ?? 0),
      expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : undefined,
    })));
  }

  /** Waits until a tree row with this label (and description, if given) is visible; returns it. */
  async waitForTreeItem(label: string | RegExp, opts: TreeItemOptions = {}): Promise<Locator> {
    const found = await waitFor(async () => {
      const rows = this.treeItem(label);
      for (let i = 0; i < (await rows.count()); i++) {
        const row = rows.nth(i);
        if (!(await row.isVisible())) continue;
        if (opts.description !== undefined && !matches(await this.treeItemDescription(row), opts.description)) continue;
        return row;
      }
      return undefined;
    }, {
      ...opts,
      message: opts.message ?? (async () => `tree item "${label}"${opts.description !== undefined ? ` with description ${opts.description}` : ''} (visible rows: ${JSON.stringify(await this.treeRows().catch(() => []))})`),
    });
    return found;
  }

  /** Waits until no visible tree row has this label. */
  async waitForNoTreeItem(label: string | RegExp, opts: WaitOptions = {}): Promise<void> {
    await waitFor(async () => (await this.treeItem(label).count()) === 0, { ...opts, message: opts.message ?? `tree item "${label}" to go away` });
  }

  /** The description text of a tree row (given by label or as a located row). */
  async treeItemDescription(item: string | RegExp | Locator): Promise<string> {
    const row = typeof item === 'string' || item instanceof RegExp ? this.treeItem(item).first() : item;
    const d = row.locator('.label-description');
    return (await d.count()) ? ((await d.first().textContent()) ?? '').trim() : '';
  }

  /** Expands a tree row (click on its twistie) if it is collapsed. Returns the row. */
  async expandTreeItem(label: string | RegExp, opts: TreeItemOptions = {}): Promise<Locator> {
    const row = await this.waitForTreeItem(label, opts);
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', { ...opts, message: `"${label}" to expand` });
    }
    return row;
  }

  /**
   * Waits for the row at a path of labels (each a child of the one before, e.g. [context,
   * namespace, 'Claims', name]) and returns it. Ancestors must be expanded (see expandTreePath).
   * The locator is positional: use it right away, a live tree may move rows later.
   */
  async waitForTreePath(labels: Array<string | RegExp>, opts: TreeItemOptions = {}): Promise<Locator> {
    if (labels.length === 0) throw new Error('waitForTreePath needs at least one label');
    const all = this.page.locator('.part.sidebar .monaco-list-row[role="treeitem"]');
    return waitFor(async () => {
      const rows = await this.treeRows();
      const index = resolveTreePath(rows, labels);
      if (index < 0) return undefined;
      if (opts.description !== undefined && !matches(rows[index].description, opts.description)) return undefined;
      return all.nth(index);
    }, {
      ...opts,
      message: opts.message ?? (async () => `tree path ${labels.map(String).join(' › ')}${opts.description !== undefined ? ` with description ${opts.description}` : ''} (visible rows: ${JSON.stringify(await this.treeRows().catch(() => []))})`),
    });
  }

  /**
   * Expands each row along a path of labels (each a child of the one before), so the last one's
   * children show; returns the last row.
   */
  async expandTreePath(labels: Array<string | RegExp>, opts: WaitOptions = {}): Promise<Locator> {
    if (labels.length === 0) throw new Error('expandTreePath needs at least one label');
    let row: Locator | undefined;
    for (let i = 1; i <= labels.length; i++) {
      const sub = labels.slice(0, i);
      row = await this.waitForTreePath(sub, opts);
      if ((await row.getAttribute('aria-expanded')) === 'false') {
        await row.locator('.monaco-tl-twistie').click();
        await waitFor(async () => {
          const r = await this.waitForTreePath(sub, { timeout: 2_000 }).catch(() => undefined);
          return r && (await r.getAttribute('aria-expanded')) === 'true';
        }, { ...opts, message: `${sub.map(String).join(' › ')} to expand` });
      }
    }
    return this.waitForTreePath(labels, opts);
  }

  /** Clicks a tree row (selects it / runs its command). */
  async clickTreeItem(label: string | RegExp, opts: TreeItemOptions = {}): Promise<Locator> {
    const row = await this.waitForTreeItem(label, opts);
    await row.locator('.monaco-icon-label').click();
    return row;
  }

  /**
   * Clicks an inline action of a tree row: hovers the row so its actions show, then clicks the
   * `.action-label` whose title (aria-label) is `actionTitle`.
   */
  async clickInlineAction(label: string | RegExp, actionTitle: string, opts: TreeItemOptions = {}): Promise<void> {
    const row = await this.waitForTreeItem(label, opts);
    await row.hover();
    const q = actionTitle.replace(/"/g, '\\"');
    const action = row.locator(`.actions .action-label[aria-label="${q}"], .actions .action-label[title="${q}"]`).first();
    await action.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    await action.click();
  }

  /**
   * Hovers the row at a tree path and clicks its inline button, retrying while the live tree
   * re-renders the row between hover and click.
   */
  async clickInlineActionAt(path: string[], actionTitle: string): Promise<void> {
    const q = actionTitle.replace(/"/g, '\\"');
    await waitFor(async () => {
      const row = await this.waitForTreePath(path);
      await row.hover();
      const action = row.locator(`.actions .action-label[aria-label="${q}"]`).first();
      if (!(await action.isVisible())) return false;
      await action.click({ timeout: 5_000 });
      return true;
    }, { message: `the "${actionTitle}" button on ${path.join(' › ')}`, interval: 500 });
    await this.moveMouseAway();
  }

  /** Opens a tree row's context menu and picks an entry. */
  async contextMenu(label: string | RegExp, entry: string, opts: TreeItemOptions = {}): Promise<void> {
    const row = await this.waitForTreeItem(label, opts);
    await row.click({ button: 'right' });
    await this.clickMenuEntry(entry, opts);
  }

  /**
   * Clicks an entry in the open context menu. A menu item listens for the mouse only from 100 ms
   * after it is drawn (VS Code's runOnceToEnableMouseUp, so the right-click's own release cannot
   * pick an entry), and that timer runs late on a busy machine: a click as soon as the entry shows
   * can be ignored, leaving the menu open. So click until the menu closes (the entry ran).
   */
  async clickMenuEntry(entry: string, opts: WaitOptions = {}): Promise<void> {
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
    const item = this.page.locator('.monaco-menu .action-item').filter({
      has: this.page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(entry)}\\s*$`) }),
    }).first();
    await item.waitFor({ state: 'visible', timeout });
    let clicks = 0;
    await waitFor(async () => {
      if (clicks > 0 && !(await item.isVisible())) return true;
      await item.click({ timeout: 2_000 });
      clicks += 1;
      return false;
    }, { timeout, interval: 400, message: `the context menu entry "${entry}" to run (menu closed)` });
  }

  /** Clicks a button in a view's title bar (by its title), e.g. "Refresh". */
  async clickViewTitleAction(actionTitle: string, opts: WaitOptions = {}): Promise<void> {
    const q = actionTitle.replace(/"/g, '\\"');
    const sidebar = this.page.locator('.part.sidebar');
    await sidebar.hover();
    // The side bar's title bar, or a view's pane header when the container has several views. A
    // single view's own (hidden) pane header holds the same actions: only visible ones count.
    const action = sidebar.locator(`:is(.composite.title, .pane-header) .action-label:is([aria-label="${q}"], [title="${q}"])`).filter({ visible: true }).first();
    await action.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    await action.click();
  }

  // ---- command palette, quick pick, input box -----------------------------------------------

  /** The quick input widget (command palette, quick pick, input box). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** The filter/input box of the quick input (not its other inputs). */
  private get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-filter input, .quick-input-box input').first();
  }

  /**
   * Runs a command like a person: F1, type the title, click the row with that exact label.
   *
   * A fill used to wait 30 s on whatever input was there; if the palette had gone (it hides when
   * it loses focus) the wait could never succeed (the flaky "locator.fill" of Switch Context…;
   * the exact trigger was not reproduced). So each attempt opens, types and checks what it typed,
   * and starts over when the palette went away; once the row is clicked we wait for the palette to
   * be gone, so the next step never mistakes it for the picker the command opens.
   */
  async runCommand(title: string, opts: WaitOptions = {}): Promise<void> {
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
    const text = `>${title}`;
    const input = this.quickInputBox;
    const row = this.quickInput.locator('.monaco-list-row').filter({
      has: this.page.locator(QUICK_PICK_LABEL, { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
    }).first();
    await this.page.locator('.monaco-workbench').focus().catch(() => undefined);
    await waitFor(async () => {
      if (!(await input.isVisible())) {
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 2_000 });
      }
      if ((await input.inputValue({ timeout: 1_000 })) !== text) await input.fill(text, { timeout: 1_000 });
      await row.waitFor({ state: 'visible', timeout: 2_000 });
      // Still our palette with our text (not one that closed and reopened empty)?
      if ((await input.inputValue({ timeout: 1_000 })) !== text) return false;
      await row.click({ timeout: 2_000 });
      return true;
    }, { timeout, interval: 300, message: `the command palette to run "${title}"` });
    await waitFor(async () => !(await input.isVisible()) || (await input.inputValue({ timeout: 1_000 }).catch(() => '')) !== text,
      { timeout, message: `the command palette to close after "${title}"` });
  }

  /** Waits for a quick pick to show (optionally with a title/placeholder) and returns its item labels. */
  async quickPickItems(opts: WaitOptions & { placeholder?: string | RegExp } = {}): Promise<string[]> {
    await this.quickInput.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    if (opts.placeholder !== undefined) {
      // The title bar keeps the text of an earlier picker while hidden: only a visible one counts.
      const title = this.quickInput.locator('.quick-input-title');
      await waitFor(async () => {
        const ph = (await this.quickInputBox.getAttribute('placeholder').catch(() => '')) ?? '';
        const t = (await title.isVisible()) ? ((await title.textContent().catch(() => '')) ?? '') : '';
        return matches(ph, opts.placeholder!) || matches(t, opts.placeholder!);
      }, { ...opts, message: `a quick pick with placeholder ${opts.placeholder}` });
    }
    const rows = this.quickInput.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    return rows.evaluateAll((rs, sel) => rs.map((r) => r.querySelector(sel)?.textContent?.trim() ?? ''), QUICK_PICK_LABEL);
  }

  /**
   * Picks the quick pick item whose label is `label` (exact) or matches the RegExp, by clicking it.
   * When a string label is not among the rows shown (long lists), it is typed into the filter first.
   */
  async pickQuickPickItem(label: string | RegExp, opts: WaitOptions = {}): Promise<void> {
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
    await this.quickInput.waitFor({ state: 'visible', timeout });
    const labelRe = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
    const rows = this.quickInput.locator('.quick-input-list .monaco-list-row');
    const row = rows.filter({ has: this.page.locator(QUICK_PICK_LABEL, { hasText: labelRe }) }).first();
    // A quick pick that just opened may still move (its title appears, the list re-lays out): a click
    // at the old spot would pick the row above. Click once the row stays put. Items can arrive after
    // the picker shows (it is busy until then): type the label only into a list that has rows.
    let last = '';
    let typed = false;
    await waitFor(async () => {
      if (!(await row.isVisible())) {
        if (typeof label === 'string' && !typed && (await rows.count()) > 0) {
          await this.quickInputBox.fill(label, { timeout: 1_000 });
          typed = true;
        }
        last = '';
        return false;
      }
      const box = JSON.stringify(await row.boundingBox());
      const still = box === last;
      last = box;
      return still;
    }, { timeout, interval: 100, message: `the quick pick row ${labelRe} to show and stop moving` });
    await row.click();
  }

  /** Types into the open input box (or quick pick filter) and presses Enter unless `submit: false`. */
  async answerInputBox(text: string, opts: WaitOptions & { submit?: boolean; prompt?: string | RegExp } = {}): Promise<void> {
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    if (opts.prompt !== undefined) {
      await waitFor(async () => matches(await this.quickInput.innerText().catch(() => ''), opts.prompt!), { ...opts, message: `an input box with prompt ${opts.prompt}` });
    }
    await input.fill(text);
    if (opts.submit !== false) await input.press('Enter');
  }

  /** The validation message shown under the input box, if any. */
  async inputBoxMessage(): Promise<string> {
    const m = this.quickInput.locator('.quick-input-message');
    return (await m.count()) ? ((await m.first().textContent()) ?? '').trim() : '';
  }

  /** Closes the quick input with Escape and waits until it is gone. */
  async dismissQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) await this.page.keyboard.press('Escape');
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  // ---- notifications ------------------------------------------------------------------------

  /** Texts of the notification toasts that are showing. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
  }

  /** Waits for a notification toast whose text contains the string (or matches the RegExp); returns it. */
  async waitForNotification(text: string | RegExp, opts: WaitOptions = {}): Promise<Locator> {
    const re = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({
      has: this.page.locator('.notification-list-item-message', { hasText: re }),
    }).first();
    await waitFor(() => toast.isVisible(), { ...opts, message: opts.message ?? (async () => `a notification ${re} (showing: ${JSON.stringify(await this.notifications().catch(() => []))})`) });
    return toast;
  }

  /** Clicks a button (e.g. "Retry") on the notification that matches `text`. */
  async clickNotificationButton(text: string | RegExp, button: string, opts: WaitOptions = {}): Promise<void> {
    const toast = await this.waitForNotification(text, opts);
    await toast.locator('.monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) }).first().click();
  }

  /** Closes all notification toasts (so they do not cover what comes next). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await waitFor(async () => (await this.notifications()).length === 0, { message: 'notifications to clear' });
  }

  // ---- terminal -----------------------------------------------------------------------------

  /** Text of the visible terminal (needs terminal.integrated.gpuAcceleration "off"; TEST_SETTINGS sets it). */
  async terminalText(): Promise<string> {
    let rows = this.page.locator('.terminal-wrapper.active .xterm-rows');
    if (!(await rows.count())) rows = this.page.locator('.xterm-rows');
    if (!(await rows.count())) return '';
    return rows.first().evaluate((el) => Array.from(el.children)
      .map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n')
      .replace(/\n+$/, ''));
  }

  /** Waits until the visible terminal shows text matching; returns the whole text. */
  async waitForTerminalText(want: string | RegExp, opts: WaitOptions = {}): Promise<string> {
    const re = typeof want === 'string' ? new RegExp(escapeRegExp(want)) : want;
    let last = '';
    await waitFor(async () => re.test((last = await this.terminalText())), { ...opts, message: opts.message ?? `terminal text ${re}` })
      .catch((err: Error) => { throw new Error(`${err.message}\n--- terminal shows ---\n${last}`); });
    return last;
  }

  /** Names of the open terminals (tabs list or the single terminal's title). */
  async terminalNames(): Promise<string[]> {
    const tabs = this.page.locator('.part.panel .terminal-tabs-entry .label-name');
    const names = await tabs.evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
    if (names.length) return names;
    // One terminal: its name is on the panel's title bar instead of a tabs list.
    return this.page.locator('.part.panel .single-terminal-tab').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
  }

  /** The name of the terminal shown now. */
  async activeTerminalName(): Promise<string> {
    const active = this.page.locator('.part.panel .terminal-tabs-entry.is-active .label-name, .part.panel .single-terminal-tab').first();
    return (await active.count()) ? ((await active.textContent()) ?? '').trim() : '';
  }

  /** Waits until a terminal with this name (exact, or matching) is open; returns all names. */
  async waitForTerminal(name: string | RegExp, opts: WaitOptions = {}): Promise<string[]> {
    let names: string[] = [];
    await waitFor(async () => (names = await this.terminalNames()).some((n) => matches(n, name)), {
      ...opts, message: opts.message ?? `a terminal named ${name}`,
    }).catch((err: Error) => { throw new Error(`${err.message} (open: ${JSON.stringify(names)})`); });
    return names;
  }

  /** Clicks into the terminal and types a line (Enter appended unless `enter: false`). */
  async typeInTerminal(text: string, opts: { enter?: boolean } = {}): Promise<void> {
    const term = this.page.locator('.part.panel .terminal-wrapper.active .xterm, .part.panel .xterm').first();
    await term.waitFor({ state: 'visible' });
    await term.click();
    await this.page.keyboard.type(text);
    if (opts.enter !== false) await this.page.keyboard.press('Enter');
  }

  // ---- editors ------------------------------------------------------------------------------

  /**
   * Titles of the open editor tabs, in order. VS Code 1.139 renders a file's extension apart from
   * its name (`.label-name` "notes", `.label-suffix` ".txt"); a title is both.
   */
  async editorTabs(): Promise<string[]> {
    return this.page.locator('.part.editor .tabs-container .tab .monaco-icon-label-container').evaluateAll((els) => els.map((e) =>
      `${e.querySelector('.label-name')?.textContent ?? ''}${e.querySelector('.label-suffix')?.textContent ?? ''}`.trim()));
  }

  /** Waits for an editor tab whose title matches and returns it. */
  async waitForEditorTab(title: string | RegExp, opts: WaitOptions = {}): Promise<Locator> {
    const re = typeof title === 'string' ? new RegExp(`^\\s*${escapeRegExp(title)}`) : title;
    const tab = this.page.locator('.part.editor .tabs-container .tab').filter({ has: this.page.locator('.monaco-icon-label-container', { hasText: re }) }).first();
    await waitFor(() => tab.isVisible(), { ...opts, message: opts.message ?? (async () => `an editor tab ${re} (tabs: ${JSON.stringify(await this.editorTabs().catch(() => []))})`) });
    return tab;
  }

  /** The active text editor. */
  get activeEditor(): Locator {
    return this.page.locator('.part.editor .editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /**
   * The lines the active editor shows, top to bottom (what a person sees: long files show only the
   * rendered part; scroll or use Ctrl+Home/End to see more).
   */
  async editorText(): Promise<string> {
    const lines = this.activeEditor.locator('.view-lines');
    await lines.waitFor({ state: 'visible' });
    return lines.evaluate((el) => Array.from(el.querySelectorAll<HTMLElement>('.view-line'))
      .map((l) => ({ top: parseFloat(l.style.top || '0'), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n'));
  }

  /** Waits until the active editor shows text matching; returns it. */
  async waitForEditorText(want: string | RegExp, opts: WaitOptions = {}): Promise<string> {
    const re = typeof want === 'string' ? new RegExp(escapeRegExp(want)) : want;
    let last = '';
    await waitFor(async () => re.test((last = await this.editorText().catch(() => ''))), { ...opts, message: opts.message ?? `editor text ${re}` })
      .catch((err: Error) => { throw new Error(`${err.message}\n--- editor shows ---\n${last}`); });
    return last;
  }

  /** Clicks into the active editor and types (keyboard, like a person). */
  async typeInEditor(text: string, opts: { selectAll?: boolean; atEnd?: boolean } = {}): Promise<void> {
    await this.activeEditor.locator('.view-lines').click();
    if (opts.selectAll) await this.page.keyboard.press('Control+A');
    else if (opts.atEnd) await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text);
  }

  /** Saves the active editor (Ctrl+S) and waits for its tab to lose the dirty mark. */
  async saveEditor(opts: WaitOptions = {}): Promise<void> {
    await this.activeEditor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+S');
    const dirtyActiveTab = this.page.locator('.part.editor .editor-group-container.active .tab.active.dirty');
    await waitFor(async () => (await dirtyActiveTab.count()) === 0, { ...opts, message: 'the active editor to be saved' });
  }

  // ---- webviews ----------------------------------------------------------------------------

  /**
   * The content of the webview editor whose tab title matches (brought to front if it is not).
   * VS Code nests a webview's page in two iframes; this returns the inner document.
   */
  async webview(title: string | RegExp, opts: WaitOptions = {}): Promise<FrameLocator> {
    const tab = await this.waitForEditorTab(title, opts);
    if (!(await tab.evaluate((el) => el.classList.contains('active')))) await tab.click();
    const outer = this.page.locator('iframe.webview.ready').filter({ visible: true }).last();
    await outer.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    return outer.contentFrame().frameLocator('iframe');
  }

  // ---- layout -------------------------------------------------------------------------------

  /** Moves the mouse onto an empty spot of the editor area and waits for hovers/tooltips to go. */
  async moveMouseAway(): Promise<void> {
    const box = await this.page.locator('.part.editor').boundingBox();
    const vp = this.page.viewportSize();
    if (box) await this.page.mouse.move(box.x + box.width - 20, box.y + box.height - 20);
    else if (vp) await this.page.mouse.move(vp.width - 5, vp.height / 2);
    const hovering = this.page.locator('.workbench-hover-container .workbench-hover, .monaco-hover:not(.hidden), .monaco-sash.hover, .monaco-sash.active');
    await waitFor(async () => (await hovering.filter({ visible: true }).count()) === 0,
      { timeout: 5_000, message: 'hovers to close' }).catch(() => undefined);
  }

  /** Drags the sash right of the side bar so the side bar is `width` pixels wide (like a person would). */
  async resizeSideBar(width: number): Promise<void> {
    const sidebar = this.page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (!box) throw new Error('the side bar is not open');
    const edge = box.x + box.width;
    const sashes = this.page.locator('.monaco-sash.vertical');
    let target: { x: number; y: number } | undefined;
    for (let i = 0; i < (await sashes.count()); i++) {
      const b = await sashes.nth(i).boundingBox();
      if (b && Math.abs(b.x + b.width / 2 - edge) < 6 && b.height > box.height / 2) target = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    if (!target) throw new Error('no sash found at the side bar edge');
    await this.page.mouse.move(target.x, target.y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, target.y, { steps: 8 });
    await this.page.mouse.up();
    await waitFor(async () => Math.abs(((await sidebar.boundingBox())?.width ?? 0) - width) < 8, { timeout: 5_000, message: `the side bar to be ${width}px wide` });
    await this.moveMouseAway();
  }

  // ---- status bar, screenshots ----------------------------------------------------------------

  /** Texts of the status bar entries. */
  async statusBarItems(): Promise<string[]> {
    return this.page.locator('.part.statusbar .statusbar-item').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
  }

  /** Saves a screenshot of the whole page (or a locator) to test-results/<name>.png; returns the path. */
  async screenshot(name: string, target?: Locator): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${slug(name)}.png`);
    if (target) await target.screenshot({ path: file, timeout: 10_000 });
    else await this.page.screenshot({ path: file, timeout: 10_000 });
    return file;
  }

  /**
   * For the README: writes docs/images/<name>.png when AGENT_SANDBOX_SCREENSHOTS=1; otherwise does
   * nothing and returns undefined. Mouse is moved away first so no hover covers the picture.
   */
  async readmeScreenshot(name: string, target?: Locator): Promise<string | undefined> {
    if (process.env.AGENT_SANDBOX_SCREENSHOTS !== '1') return undefined;
    fs.mkdirSync(README_IMAGES_DIR, { recursive: true });
    const file = path.join(README_IMAGES_DIR, `${slug(name)}.png`);
    await this.moveMouseAway();
    // A view still loading shows a moving progress bar under its title; the picture waits for it.
    const busy = this.page.locator('.monaco-progress-container.active').filter({ visible: true });
    await waitFor(async () => (await busy.count()) === 0, { timeout: 5_000, message: 'progress bars to finish' }).catch(() => undefined);
    if (target) await target.screenshot({ path: file, timeout: 10_000 });
    else await this.page.screenshot({ path: file, timeout: 10_000 });
    log(`README screenshot: ${path.relative(ROOT, file)}`);
    return file;
  }
}

// ---------------------------------------------------------------------------------------------
// node:test integration

export interface JourneyContext {
  vscode: VSCode;
  t: TestContext;
  /** A named step (a subtest); on failure it leaves a screenshot named after the journey and step. */
  step: (name: string, fn: () => Promise<unknown> | unknown) => Promise<void>;
}

export interface JourneyOptions extends LaunchOptions {
  /** Whole-journey timeout (ms). Default 5 minutes. */
  timeout?: number;
  /** Skip with this reason (e.g. when a precondition is missing). */
  skip?: string | false;
}

let supportNoted = false;

/**
 * Declares a journey: a node:test test that launches VS Code with the extension, runs `fn`, takes
 * a screenshot + server log tail into test-results/ on failure, and always closes everything.
 * Skipped (with the reason) where e2eSupport() says e2e cannot run.
 */
export function journey(name: string, fn: (ctx: JourneyContext) => Promise<void>, opts: JourneyOptions = {}): void {
  const support = e2eSupport();
  const skip = opts.skip || (support.ok ? false : support.reason);
  if (skip && !supportNoted) {
    supportNoted = true;
    log(`skipping e2e: ${skip}`);
  }
  test(name, { skip, timeout: opts.timeout ?? 5 * 60_000 }, async (t) => {
    const vscode = await VSCode.launch(opts);
    let failedShot = false;
    const shoot = async (label: string) => {
      failedShot = true;
      const file = await vscode.screenshot(label).catch(() => undefined);
      if (file) t.diagnostic(`screenshot: ${path.relative(ROOT, file)}`);
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, `${slug(label)}.code-server.log`), vscode.serverLogTail(400));
    };
    const step = async (stepName: string, body: () => Promise<unknown> | unknown) => {
      let failed: unknown;
      await t.test(stepName, async () => {
        try {
          await body();
        } catch (err) {
          failed = err;
          await shoot(`${name} - ${stepName}`);
          throw err;
        }
      });
      // A failed subtest does not reject; stop the journey here rather than run later steps.
      if (failed) throw new Error(`step "${stepName}" failed: ${failed instanceof Error ? failed.message.split('\n')[0] : String(failed)}`);
    };
    try {
      t.diagnostic(`workbench ready in ${(vscode.startupMs / 1000).toFixed(1)} s`);
      await fn({ vscode, t, step });
    } catch (err) {
      if (!failedShot) await shoot(name);
      throw err;
    } finally {
      await vscode.close();
    }
  });
}
