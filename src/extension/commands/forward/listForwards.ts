import * as vscode from 'vscode';
import type { ForwardManager } from '../../forwards/forwardManager';
import { openForward } from '../../forwards/forwardPort';
import { forwardItem } from './forwardItems';

/** Port Forwards… (also the status bar item): the active forwards; one chosen can be opened, copied or stopped. */
export async function listForwards(forwards: ForwardManager): Promise<void> {
  const list = forwards.list();
  if (list.length === 0) {
    void vscode.window.showInformationMessage('No port forwards are active. Use "Forward Port…" on a running sandbox.');
    return;
  }
  const picked = await vscode.window.showQuickPick(list.map(forwardItem), { title: 'Active port forwards' });
  if (!picked) return;
  const choice = await vscode.window.showQuickPick(['Open in Browser', 'Open in Simple Browser', 'Copy URL', 'Stop'], { title: picked.label });
  if (choice === 'Stop') await forwards.stop(picked.f.id);
  else if (choice === 'Open in Browser') await openForward(picked.f, 'browser');
  else if (choice === 'Open in Simple Browser') await openForward(picked.f, 'simple');
  else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(picked.f.url);
}
