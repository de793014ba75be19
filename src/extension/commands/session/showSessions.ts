import * as vscode from 'vscode';
import { describeAge } from '../../../core/exec/session/marker';
import { podName, sandboxState } from '../../../core/model/sandbox';
import type { ResourceNode } from '../../../core/tree/nodes';
import { CommandContext, pickSandboxes, requireReady, sandboxOf, UserError } from '../support';
import { openSandboxTerminal, terminalTarget } from '../../terminal/openTerminal';

/** Sessions…: the live shells in the clicked sandbox (a claim: its sandbox), else in one picked, to attach to or terminate. */
export async function showSessions(ctx: CommandContext, node?: ResourceNode): Promise<void> {
  const ready = requireReady(ctx);
  const sessions = ctx.sessions;
  const ref = node ? sandboxOf(node, ready.model) : (await pickSandboxes(ready.model, 'Sessions in sandbox', ['Running'], false))[0];
  if (!ref) return;
  const t = await terminalTarget(ctx, ready, ref);
  if (!t) return;
  const sb = await ready.ops.get('Sandbox', t.namespace, t.sandbox);
  const pod = podName(sb);
  if (sandboxState(sb) !== 'Running' || !pod) throw new UserError(`${t.sandbox} is not running; its sessions ended with its pod.`);
  const { place, sessions: live } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Listing sessions in ${t.sandbox}` },
    () => sessions.list(ready.session.client, t, pod),
  );
  if (!live.length) return void vscode.window.showInformationMessage(`No live terminal sessions in ${t.sandbox}.`);
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    live.map((s) => ({
      label: `$(terminal) ${s.command || 'shell at its prompt'}`,
      description: `session ${s.id}${s.attached ? ' · attached' : ''}`,
      detail: `started ${describeAge(now - s.started)} ago · last output ${describeAge(now - s.lastOutput)} ago`,
      session: s,
    })),
    { title: `Sessions in ${t.sandbox} (${live.length})`, placeHolder: 'Choose a session to attach to or terminate' },
  );
  if (!picked) return;
  const action = await vscode.window.showQuickPick(
    [
      { label: '$(plug) Attach', id: 'attach', ...(picked.session.attached ? { detail: 'It is shown in another terminal now; that one detaches.' } : {}) },
      { label: '$(trash) Terminate', id: 'terminate', detail: 'Ends the shell and what runs in it.' },
    ],
    { title: `Session ${picked.session.id} in ${t.sandbox}` },
  );
  if (action?.id === 'attach') openSandboxTerminal(ctx, ready, { ...t, sessionId: picked.session.id });
  if (action?.id === 'terminate') {
    const ok = await sessions.kill(ready.session.client, t, pod, place, picked.session.id);
    void vscode.window.showInformationMessage(
      ok ? `Terminated session ${picked.session.id} in ${t.sandbox}.` : `Session ${picked.session.id} had already ended.`,
    );
  }
}
