// Starting a workbench: a fresh user-data and extensions folder with the .vsix installed, code-server
// serving it, and headless Chromium on its page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import {
  CHROMIUM_ARGS,
  chromiumPath,
  ensureAll,
  installExtension,
  startCodeServer,
  writeUserSettings,
  type CodeServerInstall,
  type RunningCodeServer,
} from '../../../scripts/codeserver.mjs';
import { preparePlayground } from '../../../scripts/playground.mjs';
import { e2eSupport } from './canRun';
import { clusterEnv } from './cluster';
import { DEFAULT_VSIX, log } from './paths';
import { activityBarItem } from './sideBar';
import { ensureVsix } from './vsix';
import { DEFAULT_TIMEOUT } from './wait';

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

export interface LaunchOptions {
  /** .vsix to install; default dist/agent-sandbox.vsix (packaged first if stale). `null` installs none. */
  vsix?: string | null;
  /** More .vsix files to install. */
  extraVsix?: string[];
  /** Folder to open; default a fresh empty temp folder. */
  folder?: string;
  /** Open an empty window (code-server's `?ew=true`) instead of the folder. */
  emptyWindow?: boolean;
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

export interface VSCodeDirs {
  root: string;
  userData: string;
  extensions: string;
  folder: string;
}

/** What launchWorkbench() started; VSCode wraps it. */
export interface Workbench {
  page: Page;
  browser: Browser;
  server: RunningCodeServer;
  dirs: VSCodeDirs;
  /** Milliseconds from launch to a workbench with the extension's view container (if waited for). */
  startupMs: number;
}

/** Packages (if stale) and installs the extension, starts code-server and opens its page in Chromium. */
export async function launchWorkbench(opts: LaunchOptions = {}): Promise<Workbench> {
  const started = Date.now();
  const support = e2eSupport();
  if (!support.ok) throw new Error(`e2e cannot run here: ${support.reason}`);
  const install = await ensureAll({ log });
  const vsixes = [...(opts.vsix === null ? [] : [ensureVsix(opts.vsix ?? DEFAULT_VSIX)]), ...(opts.extraVsix ?? [])];
  const packaged = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-sandbox-e2e-'));
  try {
    return await start(opts, root, install, vsixes, started, packaged);
  } catch (err) {
    if (process.env['AGENT_SANDBOX_E2E_KEEP'] !== '1') fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

async function start(opts: LaunchOptions, root: string, install: CodeServerInstall, vsixes: string[], started: number, packaged: number): Promise<Workbench> {
  const dirs: VSCodeDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    folder: opts.folder ?? path.join(root, 'workspace'),
  };
  fs.mkdirSync(dirs.folder, { recursive: true });
  if (opts.playground) {
    if (vsixes.length !== 1) throw new Error('a playground launch installs exactly the one .vsix npm start serves');
    await preparePlayground(install, {
      vsix: vsixes[0],
      extensionsDir: dirs.extensions,
      userDataDir: dirs.userData,
      workspace: dirs.folder,
      settings: opts.settings,
      log,
    });
  } else {
    writeUserSettings(dirs.userData, { ...TEST_SETTINGS, ...opts.settings });
    for (const v of vsixes) await installExtension(install, v, { extensionsDir: dirs.extensions, userDataDir: dirs.userData, log });
  }
  const installed = Date.now();

  let kubeconfig = opts.kubeconfig;
  if (kubeconfig === undefined) {
    try {
      kubeconfig = clusterEnv()['KUBECONFIG'];
    } catch {
      kubeconfig = null;
    }
  }
  const env: Record<string, string | undefined> = { ...opts.env };
  if (kubeconfig) env['KUBECONFIG'] = kubeconfig;

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
    await page.goto(opts.emptyWindow ? `${server.url}?ew=true` : server.folderUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page, { viewContainer: opts.waitForViewContainer });
    const ms = Date.now() - started;
    const sec = (a: number, b: number) => `${((b - a) / 1000).toFixed(1)} s`;
    log(
      `workbench ready in ${sec(started, Date.now())} (package check ${sec(started, packaged)}, install extension ${sec(packaged, installed)}, code-server ${sec(installed, served)}, workbench ${sec(served, Date.now())})`,
    );
    return { page, browser, server, dirs, startupMs: ms };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}

/**
 * Waits for a workbench that has restored: drawn, with its activity and status bars, and with the
 * view container's activity bar entry when one is named (the extension contributed it). Used at
 * launch and after a window reload.
 */
export async function waitForWorkbench(page: Page, opts: { viewContainer?: string | undefined; timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 60_000;
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  // The activity bar and the status bar are drawn once the workbench has restored.
  await page.locator('.part.activitybar, .part.statusbar').first().waitFor({ state: 'visible', timeout });
  if (opts.viewContainer) await activityBarItem(page, opts.viewContainer).waitFor({ state: 'visible', timeout });
}
