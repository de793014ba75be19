/// <reference lib="dom" />
// The tree views in the side bar: rows by label or by path, expanding, inline actions, context menus.
import type { Locator, Page } from 'playwright-core';

import { moveMouseAway } from './pointer';
import { DEFAULT_TIMEOUT, escapeRegExp, matches, waitFor, type WaitOptions } from './wait';

export interface TreeItemOptions extends WaitOptions {
  /** The item's description (the grey text after the label) must match. */
  description?: string | RegExp;
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
        if (rows[j].level === level + 1 && hit(j, want)) {
          next = j;
          break;
        }
      }
      if (next < 0) {
        ok = false;
        break;
      }
      at = next;
    }
    if (ok) return at;
  }
  return -1;
}

export class Tree {
  constructor(private readonly page: Page) {}

  /** All visible tree rows of the side bar whose label is exactly `label` (or matches the RegExp). */
  treeItem(label: string | RegExp): Locator {
    const labelRe = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
    return this.page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').filter({ has: this.page.locator('.label-name', { hasText: labelRe }) });
  }

  /** Label and description of each visible tree row in the side bar, top to bottom. */
  async treeRows(): Promise<Array<{ label: string; description: string; level: number; expanded?: boolean | undefined }>> {
    return this.page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').evaluateAll((rows) =>
      rows.map((r) => ({
        label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
        level: Number(r.getAttribute('aria-level') ?? 0),
        expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : undefined,
      })),
    );
  }

  /** Waits until a tree row with this label (and description, if given) is visible; returns it. */
  async waitForTreeItem(label: string | RegExp, opts: TreeItemOptions = {}): Promise<Locator> {
    const found = await waitFor(
      async () => {
        const rows = this.treeItem(label);
        for (let i = 0; i < (await rows.count()); i++) {
          const row = rows.nth(i);
          if (!(await row.isVisible())) continue;
          if (opts.description !== undefined && !matches(await this.treeItemDescription(row), opts.description)) continue;
          return row;
        }
        return undefined;
      },
      {
        ...opts,
        message:
          opts.message ??
          (async () =>
            `tree item "${label}"${opts.description !== undefined ? ` with description ${opts.description}` : ''} (visible rows: ${JSON.stringify(await this.treeRows().catch(() => []))})`),
      },
    );
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
    return waitFor(
      async () => {
        const rows = await this.treeRows();
        const index = resolveTreePath(rows, labels);
        if (index < 0) return undefined;
        if (opts.description !== undefined && !matches(rows[index].description, opts.description)) return undefined;
        return all.nth(index);
      },
      {
        ...opts,
        message:
          opts.message ??
          (async () =>
            `tree path ${labels.map(String).join(' › ')}${opts.description !== undefined ? ` with description ${opts.description}` : ''} (visible rows: ${JSON.stringify(await this.treeRows().catch(() => []))})`),
      },
    );
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
        await waitFor(
          async () => {
            const r = await this.waitForTreePath(sub, { timeout: 2_000 }).catch(() => undefined);
            return r && (await r.getAttribute('aria-expanded')) === 'true';
          },
          { ...opts, message: `${sub.map(String).join(' › ')} to expand` },
        );
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
    await waitFor(
      async () => {
        const row = await this.waitForTreePath(path);
        await row.hover();
        const action = row.locator(`.actions .action-label[aria-label="${q}"]`).first();
        if (!(await action.isVisible())) return false;
        await action.click({ timeout: 5_000 });
        return true;
      },
      { message: `the "${actionTitle}" button on ${path.join(' › ')}`, interval: 500 },
    );
    await moveMouseAway(this.page);
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
    const item = this.page
      .locator('.monaco-menu .action-item')
      .filter({
        has: this.page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(entry)}\\s*$`) }),
      })
      .first();
    await item.waitFor({ state: 'visible', timeout });
    let clicks = 0;
    await waitFor(
      async () => {
        if (clicks > 0 && !(await item.isVisible())) return true;
        await item.click({ timeout: 2_000 });
        clicks += 1;
        return false;
      },
      { timeout, interval: 400, message: `the context menu entry "${entry}" to run (menu closed)` },
    );
  }
}
