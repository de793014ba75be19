/// <reference lib="dom" />
// The terminal panel: the visible terminal's text, terminal names, typing.
import type { Page } from 'playwright-core';

import { escapeRegExp, matches, waitFor, type WaitOptions } from './wait';

export class Terminal {
  constructor(private readonly page: Page) {}

  /** Text of the visible terminal (needs terminal.integrated.gpuAcceleration "off"; TEST_SETTINGS sets it). */
  async terminalText(): Promise<string> {
    let rows = this.page.locator('.terminal-wrapper.active .xterm-rows');
    if (!(await rows.count())) rows = this.page.locator('.xterm-rows');
    if (!(await rows.count())) return '';
    return rows.first().evaluate((el) =>
      Array.from(el.children)
        .map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
        .join('\n')
        .replace(/\n+$/, ''),
    );
  }

  /** Waits until the visible terminal shows text matching; returns the whole text. */
  async waitForTerminalText(want: string | RegExp, opts: WaitOptions = {}): Promise<string> {
    const re = typeof want === 'string' ? new RegExp(escapeRegExp(want)) : want;
    let last = '';
    await waitFor(async () => re.test((last = await this.terminalText())), { ...opts, message: opts.message ?? `terminal text ${re}` }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- terminal shows ---\n${last}`);
    });
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
      ...opts,
      message: opts.message ?? `a terminal named ${name}`,
    }).catch((err: Error) => {
      throw new Error(`${err.message} (open: ${JSON.stringify(names)})`);
    });
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
}
