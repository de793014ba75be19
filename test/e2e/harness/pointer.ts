// The mouse, put where it covers nothing (hovers and tooltips hide what a step checks).
import type { Page } from 'playwright-core';

import { waitFor } from './wait';

/** Moves the mouse onto an empty spot of the editor area and waits for hovers/tooltips to go. */
export async function moveMouseAway(page: Page): Promise<void> {
  const box = await page.locator('.part.editor').boundingBox();
  const vp = page.viewportSize();
  if (box) await page.mouse.move(box.x + box.width - 20, box.y + box.height - 20);
  else if (vp) await page.mouse.move(vp.width - 5, vp.height / 2);
  const hovering = page.locator('.workbench-hover-container .workbench-hover, .monaco-hover:not(.hidden), .monaco-sash.hover, .monaco-sash.active');
  await waitFor(async () => (await hovering.filter({ visible: true }).count()) === 0, { timeout: 5_000, message: 'hovers to close' }).catch(() => undefined);
}
