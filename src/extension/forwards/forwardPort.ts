import * as vscode from 'vscode';
import type { BoundSandbox } from '../../core/boundSandbox';
import { containerNames, declaredPorts, podName, sandboxState } from '../../core/model/sandbox';
import { type CommandContext, requireReady, UserError } from '../commands/support';
import type { ActiveForward, ForwardManager } from './forwardManager';

async function askPort(sb: { spec?: Record<string, unknown> } | undefined, name: string): Promise<number | undefined> {
  const validate = (v: string) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'A port from 1 to 65535.');
  const declared = declaredPorts(sb);
  if (declared.length) {
    const other = { label: '$(edit) Other port…', port: 0 };
    const picked = await vscode.window.showQuickPick([...declared.map((d) => ({ label: String(d.port), description: d.label, port: d.port })), other], {
      title: `Forward which port of ${name}?`,
    });
    if (!picked) return undefined;
    if (picked.port) return picked.port;
  }
  const value = await vscode.window.showInputBox({
    title: `Forward which port of ${name}?`,
    prompt: 'A port a server listens on inside the sandbox',
    validateInput: validate,
  });
  return value === undefined ? undefined : Number(value.trim());
}

/** Forwards a port of a running sandbox (asked for when not given) and offers to open it. */
export async function forwardPort(ctx: Pick<CommandContext, 'manager'>, forwards: ForwardManager, t: BoundSandbox, port?: number): Promise<void> {
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

export async function openForward(f: ActiveForward, how: 'browser' | 'simple'): Promise<void> {
  // asExternalUri maps localhost for remote windows (SSH, Codespaces, code-server).
  const uri = await vscode.env.asExternalUri(vscode.Uri.parse(f.url));
  if (how === 'browser') await vscode.env.openExternal(uri);
  else await vscode.commands.executeCommand('simpleBrowser.show', uri.toString(true));
}

async function offerOpen(f: ActiveForward, message: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, 'Open in Browser', 'Open in Simple Browser', 'Copy URL');
  if (choice === 'Open in Browser') await openForward(f, 'browser');
  else if (choice === 'Open in Simple Browser') await openForward(f, 'simple');
  else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(f.url);
}
