import * as vscode from 'vscode';
import type { BoundSandbox } from '../../core/boundSandbox';
import { describeError } from '../../core/k8s/errors';
import type { KubeObject } from '../../core/model/objects';
import { containerNames, declaredPorts, podIPs } from '../../core/model/sandbox';
import { describePort, ListeningPort, reachableFromOutside } from '../../core/preview/listeningPorts';
import { readListeningPorts } from '../../core/preview/readPorts';
import { previewablePod, PreviewPlan, resolvePreview } from '../../core/preview/resolvePreview';
import { RouterError } from '../../core/preview/router';
import { type CommandContext, requireReady, UserError } from '../commands/support';
import { readSettings } from '../config';
import type { ForwardManager } from '../forwards/forwardManager';
import type { RouterTokens } from './routerTokens';

/** Declared container ports first, then what the sandbox listens on (with process names). */
async function pickPort(ctx: Pick<CommandContext, 'log'>, t: BoundSandbox, sb: KubeObject, pod: string): Promise<number | undefined> {
  type Item = vscode.QuickPickItem & { port?: number };
  const items: Item[] = declaredPorts(sb).map((d) => ({ label: String(d.port), description: `declared · ${d.label}`, port: d.port }));
  let listening: ListeningPort[] = [];
  try {
    listening = await readListeningPorts(t.client, { namespace: t.namespace, pod, container: containerNames(sb)[0], podIPs: podIPs(sb) });
  } catch (err) {
    ctx.log.info(`listening ports of ${t.name}: ${describeError(err)}`);
  }
  const ips = podIPs(sb);
  for (const l of listening) {
    const seen = items.find((i) => i.port === l.port);
    const what = `listening · ${describePort(l)}${reachableFromOutside(l, ips) ? '' : ' (pod-local: relay only)'}`;
    if (seen) seen.description = `${seen.description} · ${what}`;
    else items.push({ label: String(l.port), description: what, port: l.port });
  }
  items.push({ label: '$(edit) Other port…' });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Preview which port of ${t.name}?`,
    ...(listening.length ? {} : { placeHolder: 'No listening port found inside the sandbox (yet)' }),
  });
  if (!picked) return undefined;
  if (picked.port) return picked.port;
  const value = await vscode.window.showInputBox({
    title: `Preview which port of ${t.name}?`,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'A port from 1 to 65535.'),
  });
  return value === undefined ? undefined : Number(value.trim());
}

/** resolvePreview, asking for the router's token once per context when it refuses without one. */
async function plan(tokens: RouterTokens, t: BoundSandbox, sb: KubeObject, port: number): Promise<PreviewPlan> {
  const routerUrl = readSettings().routerUrls[t.context];
  const req = { context: t.context, namespace: t.namespace, sandbox: sb, port, routerUrl, client: 'browser' as const };
  const token = await tokens.get(t.context);
  try {
    return await resolvePreview({ ...req, token });
  } catch (err) {
    if (!(err instanceof RouterError) || err.failure !== 'refused') throw err;
    if (token) {
      const again = await vscode.window.showErrorMessage(`${err.message} (with the stored token of "${t.context}").`, 'Enter Another Token', 'Use the Relay');
      if (again === 'Use the Relay') return { via: 'relay', reason: `the router refused (${err.message.replace(/^The router refused: /, '')})` };
      if (again !== 'Enter Another Token') throw new UserError(err.message);
    }
    const entered = await vscode.window.showInputBox({
      title: `Token for the Sandbox Router of "${t.context}"`,
      prompt: `${err.message} Enter a Bearer token; it is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!entered?.trim()) throw new UserError(err.message);
    await tokens.set(t.context, entered.trim());
    return resolvePreview({ ...req, token: entered.trim() });
  }
}

async function show(url: string, how: 'simpleBrowser' | 'external'): Promise<void> {
  // asExternalUri maps localhost for remote windows (SSH, Codespaces, code-server).
  const uri = await vscode.env.asExternalUri(vscode.Uri.parse(url));
  if (how === 'external') await vscode.env.openExternal(uri);
  else await vscode.commands.executeCommand('simpleBrowser.show', uri.toString(true));
}

/** Open Preview…: the router's path-routing URL when one is set and answers, else the exec relay. */
export async function openPreview(
  ctx: Pick<CommandContext, 'manager' | 'log'>,
  forwards: ForwardManager,
  tokens: RouterTokens,
  t: BoundSandbox,
  port?: number,
): Promise<void> {
  const ready = requireReady(ctx);
  const sb = ready.model.get('Sandbox', t.namespace, t.name) ?? (await ready.ops.get('Sandbox', t.namespace, t.name));
  // State first: a hibernated sandbox gets "resume to preview", not a port picker.
  let pod: string;
  try {
    pod = previewablePod(sb);
  } catch (err) {
    throw new UserError(describeError(err));
  }
  const chosen = port ?? (await pickPort(ctx, t, sb, pod));
  if (!chosen) return;
  const how = readSettings().previewOpenIn;
  let p: PreviewPlan;
  try {
    p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Opening ${t.name}:${chosen}…` }, () =>
      plan(tokens, t, sb, chosen),
    );
  } catch (err) {
    if (err instanceof RouterError || (err instanceof Error && err.name === 'PreviewError')) throw new UserError(err.message);
    throw err;
  }
  if (p.via === 'router') {
    ctx.log.info(`preview ${t.namespace}/${t.name}:${chosen} through the router: ${p.url}`);
    // Said first: the person learns which path carries the page while it loads.
    void vscode.window.showInformationMessage(`Previewing ${t.name}:${chosen} through the Sandbox Router (${p.reason}): ${p.url}`);
    await show(p.url, how);
    return;
  }
  const f = await forwards.start(t, pod, containerNames(sb)[0], chosen, 0);
  ctx.log.info(`preview ${t.namespace}/${t.name}:${chosen} through the exec relay (${p.reason}): ${f.url}`);
  void vscode.window.showInformationMessage(`Previewing ${t.name}:${chosen} through the exec relay at ${f.url}, because ${p.reason}.`);
  await show(f.url, how);
}
