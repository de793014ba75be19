/// <reference lib="dom" />
// The quick input widget: the command palette, quick picks and input boxes.
import type { Locator, Page } from 'playwright-core';

import { DEFAULT_TIMEOUT, escapeRegExp, matches, waitFor, type WaitOptions } from './wait';

/**
 * The label of a quick pick row. Not any `.label-name` in the row: an item's detail line is a second
 * icon label with its own `.label-name` (a context whose cluster is named like another context would
 * match that context's label).
 */
const QUICK_PICK_LABEL = '.quick-input-list-rows > .quick-input-list-row:first-child .label-name';

export class Palette {
  constructor(private readonly page: Page) {}

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
    const row = this.quickInput
      .locator('.monaco-list-row')
      .filter({
        has: this.page.locator(QUICK_PICK_LABEL, { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
      })
      .first();
    await this.page
      .locator('.monaco-workbench')
      .focus()
      .catch(() => undefined);
    await waitFor(
      async () => {
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
      },
      { timeout, interval: 300, message: `the command palette to run "${title}"` },
    );
    await waitFor(async () => !(await input.isVisible()) || (await input.inputValue({ timeout: 1_000 }).catch(() => '')) !== text, {
      timeout,
      message: `the command palette to close after "${title}"`,
    });
  }

  /** Waits for a quick pick to show (optionally with a title/placeholder) and returns its item labels. */
  async quickPickItems(opts: WaitOptions & { placeholder?: string | RegExp } = {}): Promise<string[]> {
    await this.quickInput.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    if (opts.placeholder !== undefined) {
      // The title bar keeps the text of an earlier picker while hidden: only a visible one counts.
      const title = this.quickInput.locator('.quick-input-title');
      await waitFor(
        async () => {
          const ph = (await this.quickInputBox.getAttribute('placeholder').catch(() => '')) ?? '';
          const t = (await title.isVisible()) ? ((await title.textContent().catch(() => '')) ?? '') : '';
          return matches(ph, opts.placeholder!) || matches(t, opts.placeholder!);
        },
        { ...opts, message: `a quick pick with placeholder ${opts.placeholder}` },
      );
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
    await waitFor(
      async () => {
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
      },
      { timeout, interval: 100, message: `the quick pick row ${labelRe} to show and stop moving` },
    );
    await row.click();
  }

  /** Types into the open input box (or quick pick filter) and presses Enter unless `submit: false`. */
  async answerInputBox(text: string, opts: WaitOptions & { submit?: boolean; prompt?: string | RegExp } = {}): Promise<void> {
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    if (opts.prompt !== undefined) {
      await waitFor(async () => matches(await this.quickInput.innerText().catch(() => ''), opts.prompt!), {
        ...opts,
        message: `an input box with prompt ${opts.prompt}`,
      });
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
}
