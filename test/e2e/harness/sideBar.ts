// The activity bar and the side bar: view containers, view panes and their title actions.
import type { Locator, Page } from 'playwright-core';

import { moveMouseAway } from './pointer';
import { DEFAULT_TIMEOUT, escapeRegExp, matches, waitFor, type WaitOptions } from './wait';

/** The activity bar entry of a view container; its aria-label starts with the container's title. */
export function activityBarItem(page: Page, title: string): Locator {
  return page
    .locator('.part.activitybar .action-item')
    .filter({ has: page.locator(`[aria-label^="${title.replace(/"/g, '\\"')}"]`) })
    .first();
}

export class SideBar {
  constructor(private readonly page: Page) {}

  /** The activity bar entry of a view container; its aria-label starts with the container's title. */
  activityBarItem(title: string): Locator {
    return activityBarItem(this.page, title);
  }

  /**
   * Opens a view container from the activity bar. A click on the entry of the container that is
   * already shown hides the side bar, and after a reload the workbench restores the last container a
   * moment after its entry appears: so it clicks only while the entry is not the active one, and
   * looks again until the side bar shows the container (a click that raced the restore and hid it
   * is undone by the next look).
   */
  async openViewContainer(title = 'Agent Sandbox', opts: WaitOptions = {}): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title .title-label');
    const isOpen = async () =>
      (await this.page.locator('.part.sidebar').isVisible()) &&
      matches((await sidebarTitle.textContent().catch(() => '')) ?? '', new RegExp(`^${escapeRegExp(title)}`, 'i'));
    // VS Code marks the active container's entry "checked" (with aria-pressed on the action).
    const isActive = async () => /\bchecked\b/.test((await item.getAttribute('class')) ?? '');
    await waitFor(
      async () => {
        if (await isOpen()) return true;
        if (!(await isActive())) await item.click();
        return false;
      },
      { interval: 500, ...opts, message: `the side bar to show "${title}"` },
    );
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

  /** Clicks a button in a view's title bar (by its title), e.g. "Refresh". */
  async clickViewTitleAction(actionTitle: string, opts: WaitOptions = {}): Promise<void> {
    const q = actionTitle.replace(/"/g, '\\"');
    const sidebar = this.page.locator('.part.sidebar');
    await sidebar.hover();
    // The side bar's title bar, or a view's pane header when the container has several views. A
    // single view's own (hidden) pane header holds the same actions: only visible ones count.
    const action = sidebar
      .locator(`:is(.composite.title, .pane-header) .action-label:is([aria-label="${q}"], [title="${q}"])`)
      .filter({ visible: true })
      .first();
    await action.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    await action.click();
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
    await waitFor(async () => Math.abs(((await sidebar.boundingBox())?.width ?? 0) - width) < 8, {
      timeout: 5_000,
      message: `the side bar to be ${width}px wide`,
    });
    await moveMouseAway(this.page);
  }
}
