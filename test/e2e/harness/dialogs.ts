// Modal dialogs (showWarningMessage(…, { modal: true }), VS Code's own confirmations): the web
// workbench draws them in the page as .monaco-dialog-box, never as a native window.
import type { Locator, Page } from 'playwright-core';

import { DEFAULT_TIMEOUT, escapeRegExp, waitFor, type WaitOptions } from './wait';

export class Dialogs {
  constructor(private readonly page: Page) {}

  /** The modal dialog box (at most one shows at a time). */
  get dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Waits for a modal dialog whose text contains the string (or matches the RegExp); returns its whole text. */
  async waitForDialog(text: string | RegExp, opts: WaitOptions = {}): Promise<string> {
    const re = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    let shown = '';
    await waitFor(async () => (await this.dialog.isVisible()) && re.test((shown = (await this.dialog.innerText()) ?? '')), {
      ...opts,
      message: opts.message ?? (() => `a dialog ${re} (showing: ${JSON.stringify(shown)})`),
    });
    return shown;
  }

  /** Clicks a button of the dialog by its exact label (e.g. "Cancel") and waits for the dialog to close. */
  async clickDialogButton(label: string, opts: WaitOptions = {}): Promise<void> {
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
    await this.dialog
      .getByRole('button', { name: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) })
      .first()
      .click({ timeout });
    await this.dialog.waitFor({ state: 'hidden', timeout });
  }
}
