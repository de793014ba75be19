import * as vscode from 'vscode';
import type { ActiveForward, ForwardManager } from '../../forwards/forwardManager';
import { UserError } from '../support';

export function forwardItem(f: ActiveForward): vscode.QuickPickItem & { f: ActiveForward } {
  return {
    label: `${f.url} → ${f.sandbox}:${f.remotePort}`,
    description: f.namespace,
    detail: `${f.path} · since ${new Date(f.startedAt).toLocaleTimeString()}`,
    f,
  };
}

export async function pickForwards(forwards: ForwardManager, title: string): Promise<ActiveForward[]> {
  const list = forwards.list();
  if (list.length === 0) throw new UserError('No port forwards are active.');
  const picked = await vscode.window.showQuickPick(list.map(forwardItem), { title, canPickMany: true });
  return (picked ?? []).map((p) => p.f);
}
