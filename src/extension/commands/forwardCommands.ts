import * as vscode from 'vscode';
import { rec } from '../../core/model/objects';
import { containerNames, podName, sandboxState } from '../../core/model/sandbox';
import type { ActiveForward, ForwardManager } from '../forwards/forwardManager';
import type { PanelTarget } from '../panels/panelSupport';
import { CommandContext, register, requireReady, UserError } from './support';

type PickTarget = (arg: unknown, title: string) => Promise<PanelTarget | undefined>;

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

/** The container ports the sandbox declares, as suggestions. */
export function declaredPorts(sb: { spec?: Record<string, unknown> } | undefined): { port: number; label: string }[] {
  const containers = rec(rec(sb?.spec?.podTemplate)?.spec)?.containers;
  if (!Array.isArray(containers)) return [];
  const out: { port: number; label: string }[] = [];
  for (const c of containers) {
    const ports = rec(c)?.ports;
    if (!Array.isArray(ports)) continue;
    for (const p of ports) {
      const port = rec(p)?.containerPort;
      if (typeof port === 'number') out.push({ port, label: `${port}${typeof rec(p)?.name === 'string' ? ` (${String(rec(p)?.name)})` : ''} · container ${String(rec(c)?.name ?? '')}` });
    }
  }
  return out;
}

async function askPort(sb: { spec?: Record<string, unknown> } | undefined, name: string): Promise<number | undefined> {
  const validate = (v: string) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'A port from 1 to 65535.');
  const declared = declaredPorts(sb);
  if (declared.length) {
    const other = { label: '$(edit) Other port…', port: 0 };
    const picked = await vscode.window.showQuickPick([...declared.map((d) => ({ label: String(d.port), description: d.label, port: d.port })), other], { title: `Forward which port of ${name}?` });
    if (!picked) return undefined;
    if (picked.port) return picked.port;
  }
  const value = await vscode.window.showInputBox({ title: `Forward which port of ${name}?`, prompt: 'A port a server listens on inside the sandbox', validateInput: validate });
  return value === undefined ? undefined : Number(value.trim());
}

async function forwardPort(ctx: CommandContext, forwards: ForwardManager, t: PanelTarget, port?: number): Promise<void> {
  const sb = requireReady(ctx).model.get('Sandbox', t.namespace, t.name) ?? (await requireReady(ctx).ops.get('Sandbox', t.namespace, t.name));
  const state = sandboxState(sb);
  const pod = podName(sb);
  if (state !== 'Running' || !pod) throw new UserError(`${t.name} is ${state.toLowerCase()}; a port can be forwarded only while it runs.`);
  const remotePort = port ?? (await askPort(sb, t.name));
  if (!remotePort) return;
  const f = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Forwarding port ${remotePort} of ${t.name}…` }, () =>
    forwards.start(t, pod, containerNames(sb)[0], remotePort, remotePort >= 1024 ? remotePort : 0),
  );
  void offerOpen(f, `Forwarding ${f.url} → ${t.name}:${remotePort} via ${f.path}.`);
}

export async function open(f: ActiveForward, how: 'browser' | 'simple'): Promise<void> {
  // asExternalUri maps localhost for remote windows (SSH, Codespaces, code-server).
  const uri = await vscode.env.asExternalUri(vscode.Uri.parse(f.url));
  if (how === 'browser') await vscode.env.openExternal(uri);
  else await vscode.commands.executeCommand('simpleBrowser.show', uri.toString(true));
}

async function offerOpen(f: ActiveForward, message: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, 'Open in Browser', 'Open in Simple Browser', 'Copy URL');
  if (choice === 'Open in Browser') await open(f, 'browser');
  else if (choice === 'Open in Simple Browser') await open(f, 'simple');
  else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(f.url);
}

function describe(f: ActiveForward): vscode.QuickPickItem & { f: ActiveForward } {
  return { label: `${f.url} → ${f.sandbox}:${f.remotePort}`, description: f.namespace, detail: `${f.path} · since ${new Date(f.startedAt).toLocaleTimeString()}`, f };
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
  else if (choice === 'Open in Browser') await open(picked.f, 'browser');
  else if (choice === 'Open in Simple Browser') await open(picked.f, 'simple');
  else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(picked.f.url);
}
