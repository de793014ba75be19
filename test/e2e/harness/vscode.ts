// One running workbench, the page object the journeys drive: each workbench area is its own object
// (vscode.tree, vscode.palette, …); the workbench-wide actions are here.
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Dialog, Locator, Page } from 'playwright-core';

import type { RunningCodeServer } from '../../../scripts/codeserver.mjs';
import { Dialogs } from './dialogs';
import { Editors } from './editors';
import { launchWorkbench, waitForWorkbench, type LaunchOptions, type VSCodeDirs } from './launch';
import { Notifications } from './notifications';
import { Palette } from './palette';
import { log, README_IMAGES_DIR, RESULTS_DIR, ROOT, slug } from './paths';
import { moveMouseAway } from './pointer';
import { SideBar } from './sideBar';
import { Terminal } from './terminal';
import { Tree } from './tree';
import { waitFor } from './wait';
import { Webviews } from './webviews';

/** One running code-server + Chromium page, with the actions a person takes. */
export class VSCode {
  /** The activity bar and side bar: view containers, panes, title actions. */
  readonly sideBar: SideBar;
  /** The tree views in the side bar. */
  readonly tree: Tree;
  /** The command palette, quick picks and input boxes. */
  readonly palette: Palette;
  readonly notifications: Notifications;
  /** Modal dialogs (confirmations). */
  readonly dialogs: Dialogs;
  readonly terminal: Terminal;
  readonly editors: Editors;
  /** The extension's webview panels. */
  readonly webviews: Webviews;

  private constructor(
    readonly page: Page,
    readonly browser: Browser,
    readonly server: RunningCodeServer,
    readonly dirs: VSCodeDirs,
    /** Milliseconds from launch() to a workbench with the extension's view container (if waited for). */
    readonly startupMs: number,
  ) {
    this.sideBar = new SideBar(page);
    this.tree = new Tree(page);
    this.palette = new Palette(page);
    this.notifications = new Notifications(page, this.palette);
    this.dialogs = new Dialogs(page);
    this.terminal = new Terminal(page);
    this.editors = new Editors(page);
    this.webviews = new Webviews(page, this.editors);
  }

  static async launch(opts: LaunchOptions = {}): Promise<VSCode> {
    const w = await launchWorkbench(opts);
    return new VSCode(w.page, w.browser, w.server, w.dirs, w.startupMs);
  }

  /** Stops Chromium and code-server (with its extension host) and removes the temp dirs. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (process.env['AGENT_SANDBOX_E2E_KEEP'] !== '1') fs.rmSync(this.dirs.root, { recursive: true, force: true });
  }

  /** The last lines of code-server's log (extension host errors show there). */
  serverLogTail(lines = 40): string {
    try {
      return fs.readFileSync(this.server.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * The extension's own log ("Agent Sandbox" output channel) of this workbench: what a command did
   * and why it failed. No tokens or file contents are logged by the extension, so it is safe to keep.
   */
  extensionLog(): string {
    const logs = path.join(this.dirs.userData, 'logs');
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'Agent Sandbox.log') found.push(p);
      }
    };
    try {
      walk(logs);
      return found.map((f) => `# ${path.relative(logs, f)}\n${fs.readFileSync(f, 'utf8')}`).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * Developer: Reload Window from the palette, as a person would, then waits for the new workbench
   * (and the view container's entry, when named). A reload navigates the same tab, so `page`, every
   * area object and every locator stay valid: locators resolve again against the new page. What a
   * locator found before the reload (a row, a terminal) is gone; locate it again.
   */
  async reloadWindow(opts: { waitForViewContainer?: string; timeout?: number } = {}): Promise<void> {
    const timeout = opts.timeout ?? 60_000;
    const page = this.page;
    // A "leave the page?" prompt would be dismissed by Playwright, which keeps the old page.
    const acceptUnload = (d: Dialog) => {
      if (d.type() === 'beforeunload') d.accept().catch(() => undefined);
    };
    page.on('dialog', acceptUnload);
    try {
      const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout });
      navigated.catch(() => undefined); // awaited below; not unhandled if the command fails first
      await this.palette.runCommand('Developer: Reload Window');
      await navigated;
      await waitForWorkbench(page, { viewContainer: opts.waitForViewContainer, timeout });
      log('window reloaded');
    } finally {
      page.off('dialog', acceptUnload);
    }
  }

  /** Moves the mouse onto an empty spot of the editor area and waits for hovers/tooltips to go. */
  async moveMouseAway(): Promise<void> {
    await moveMouseAway(this.page);
  }

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
    if (process.env['AGENT_SANDBOX_SCREENSHOTS'] !== '1') return undefined;
    fs.mkdirSync(README_IMAGES_DIR, { recursive: true });
    const file = path.join(README_IMAGES_DIR, `${slug(name)}.png`);
    await moveMouseAway(this.page);
    // A view still loading shows a moving progress bar under its title; the picture waits for it.
    const busy = this.page.locator('.monaco-progress-container.active').filter({ visible: true });
    await waitFor(async () => (await busy.count()) === 0, { timeout: 5_000, message: 'progress bars to finish' }).catch(() => undefined);
    if (target) await target.screenshot({ path: file, timeout: 10_000 });
    else await this.page.screenshot({ path: file, timeout: 10_000 });
    log(`README screenshot: ${path.relative(ROOT, file)}`);
    return file;
  }
}
