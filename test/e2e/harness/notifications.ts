/// <reference lib="dom" />
// Notification toasts: what they say, their buttons, clearing them.
import type { Locator, Page } from 'playwright-core';

import type { Palette } from './palette';
import { escapeRegExp, waitFor, type WaitOptions } from './wait';

export class Notifications {
  constructor(
    private readonly page: Page,
    private readonly palette: Palette,
  ) {}

  /** Texts of the notification toasts that are showing. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
  }

  /** Waits for a notification toast whose text contains the string (or matches the RegExp); returns it. */
  async waitForNotification(text: string | RegExp, opts: WaitOptions = {}): Promise<Locator> {
    const re = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    const toast = this.page
      .locator('.notifications-toasts .notification-toast')
      .filter({
        has: this.page.locator('.notification-list-item-message', { hasText: re }),
      })
      .first();
    await waitFor(() => toast.isVisible(), {
      ...opts,
      message: opts.message ?? (async () => `a notification ${re} (showing: ${JSON.stringify(await this.notifications().catch(() => []))})`),
    });
    return toast;
  }

  /** Clicks a button (e.g. "Retry") on the notification that matches `text`. */
  async clickNotificationButton(text: string | RegExp, button: string, opts: WaitOptions = {}): Promise<void> {
    const toast = await this.waitForNotification(text, opts);
    await toast
      .locator('.monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) })
      .first()
      .click();
  }

  /** Closes all notification toasts (so they do not cover what comes next). */
  async clearNotifications(): Promise<void> {
    await this.palette.runCommand('Notifications: Clear All Notifications');
    await waitFor(async () => (await this.notifications()).length === 0, { message: 'notifications to clear' });
  }
}
