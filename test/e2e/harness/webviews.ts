/// <reference lib="dom" />
// Webview editors (the extension's panels): the document inside their iframes.
import type { FrameLocator, Page } from 'playwright-core';

import type { Editors } from './editors';
import { DEFAULT_TIMEOUT, type WaitOptions } from './wait';

export class Webviews {
  constructor(
    private readonly page: Page,
    private readonly editors: Editors,
  ) {}

  /**
   * The content of the webview editor whose tab title matches (brought to front if it is not).
   * VS Code nests a webview's page in two iframes; this returns the inner document.
   */
  async webview(title: string | RegExp, opts: WaitOptions = {}): Promise<FrameLocator> {
    const tab = await this.editors.waitForEditorTab(title, opts);
    if (!(await tab.evaluate((el) => el.classList.contains('active')))) await tab.click();
    const outer = this.page.locator('iframe.webview.ready').filter({ visible: true }).last();
    await outer.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
    return outer.contentFrame().frameLocator('iframe');
  }
}
