/// <reference lib="dom" />
// The editor area: tabs, the active text editor's visible lines, typing and saving.
import type { Locator, Page } from 'playwright-core';

import { escapeRegExp, waitFor, type WaitOptions } from './wait';

export class Editors {
  constructor(private readonly page: Page) {}

  /**
   * Titles of the open editor tabs, in order. VS Code 1.139 renders a file's extension apart from
   * its name (`.label-name` "notes", `.label-suffix` ".txt"); a title is both.
   */
  async editorTabs(): Promise<string[]> {
    return this.page
      .locator('.part.editor .tabs-container .tab .monaco-icon-label-container')
      .evaluateAll((els) =>
        els.map((e) => `${e.querySelector('.label-name')?.textContent ?? ''}${e.querySelector('.label-suffix')?.textContent ?? ''}`.trim()),
      );
  }

  /** Waits for an editor tab whose title matches and returns it. */
  async waitForEditorTab(title: string | RegExp, opts: WaitOptions = {}): Promise<Locator> {
    const re = typeof title === 'string' ? new RegExp(`^\\s*${escapeRegExp(title)}`) : title;
    const tab = this.page
      .locator('.part.editor .tabs-container .tab')
      .filter({ has: this.page.locator('.monaco-icon-label-container', { hasText: re }) })
      .first();
    await waitFor(() => tab.isVisible(), {
      ...opts,
      message: opts.message ?? (async () => `an editor tab ${re} (tabs: ${JSON.stringify(await this.editorTabs().catch(() => []))})`),
    });
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
    return lines.evaluate((el) =>
      Array.from(el.querySelectorAll<HTMLElement>('.view-line'))
        .map((l) => ({ top: parseFloat(l.style.top || '0'), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text)
        .join('\n'),
    );
  }

  /** Waits until the active editor shows text matching; returns it. */
  async waitForEditorText(want: string | RegExp, opts: WaitOptions = {}): Promise<string> {
    const re = typeof want === 'string' ? new RegExp(escapeRegExp(want)) : want;
    let last = '';
    await waitFor(async () => re.test((last = await this.editorText().catch(() => ''))), { ...opts, message: opts.message ?? `editor text ${re}` }).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n--- editor shows ---\n${last}`);
      },
    );
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
}
