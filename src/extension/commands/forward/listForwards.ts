import * as vscode from 'vscode';
import type { BoundSandbox } from '../../../core/boundSandbox';
import type { ActiveForward, ForwardManager } from '../../forwards/forwardManager';
import { forwardPort, openForward } from '../../forwards/forwardPort';
import { CommandContext, register, UserError } from '../support';

type PickTarget = (arg: unknown, title: string) => Promise<BoundSandbox | undefined>;

/** Forward Port…, the list of active forwards, and Stop. */
export function registerForwardCommands(ctx: CommandContext, forwards: ForwardManager, pickTarget: PickTarget): vscode.Disposable[] {
  return [
    register(ctx, 'agentSandbox.forwardPort', async (arg, port) => {
      const t = await pickTarget(arg, 'Forward a port of which sandbox?');
      if (t) await forwardPort(ctx, forwards, t, typeof port === 'number' ? port : undefined);
    }),
    register(ctx, 'agentSandbox.listForwards', () => listForwards(forwards)),
    register(ctx, 'agentSandbox.stopForward', async (arg) => {
      const id = typeof arg === 'number' ? arg : undefined;
      if (id !== undefined) return forwards.stop(id);
      const picked = await pickForwards(forwards, 'Stop which port forwards?');
      for (const f of picked) await forwards.stop(f.id);
    }),
  ];
}

function describe(f: ActiveForward): vscode.QuickPickItem & { f: ActiveForward } {
  return {
    label: `${f.url} → ${f.sandbox}:${f.remotePort}`,
    description: f.namespace,
    detail: `${f.path} · since ${new Date(f.startedAt).toLocaleTimeString()}`,
    f,
  };
}

async function pickForwards(forwards: ForwardManager, title: string): Promise<ActiveForward[]> {
  const list = forwards.list();
  if (list.length === 0) throw new UserError('No port forwards are active.');
  const picked = await vscode.window.showQuickPick(list.map(describe), { title, canPickMany: true });
  return (picked ?? []).map((p) => p.f);
}

async function listForwards(forwards: ForwardManager): Promise<void> {
  const list = forwards.list();
  if (list.length === 0) {
    void vscode.window.showInformationMessage('No port forwards are active. Use "Forward Port…" on a running sandbox.');
    return;
  }
  const picked = await vscode.window.showQuickPick(list.map(describe), { title: 'Active port forwards' });
  if (!picked) return;
  const choice = await vscode.window.showQuickPick(['Open in Browser', 'Open in Simple Browser', 'Copy URL', 'Stop'], { title: picked.label });
  if (choice === 'Stop') await forwards.stop(picked.f.id);
  else if (choice === 'Open in Browser') await openForward(picked.f, 'browser');
  else if (choice === 'Open in Simple Browser') await openForward(picked.f, 'simple');
  else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(picked.f.url);
}
