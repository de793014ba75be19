import * as vscode from 'vscode';
import { containerNames } from '../../core/model/sandbox';
import { type CommandContext, type ReadySession, requireReady, type SandboxRef } from '../commands/support';
import { readSettings } from '../config';
import { decideContainer } from '../../core/terminal/containerChoice';
import { SandboxPty, terminalName } from './sandboxPty';
import { watchSandbox } from '../../core/terminal/sandboxWatch';
import type { TerminalDeps, TerminalTarget } from '../../core/terminal/terminalFlow';

export type TerminalOpenDeps = Pick<CommandContext, 'manager' | 'log' | 'activity' | 'sessions'>;

/** The sandbox terminal's icon (made on use: no VS Code call at import time). */
export const terminalIcon = (): vscode.ThemeIcon => new vscode.ThemeIcon('vm');

/** Opens a terminal on each sandbox of the active context (asking for a container where there are several). */
export async function openTerminals(ctx: TerminalOpenDeps, refs: SandboxRef[]): Promise<void> {
  const ready = requireReady(ctx);
  for (const ref of refs) {
    const t = await terminalTarget(ctx, ready, ref);
    if (!t) continue;
    openSandboxTerminal(ctx, ready, t);
  }
}

/** A terminal on a sandbox; with `t.sessionId` it reattaches to that session of the sandbox's holder. */
export function openSandboxTerminal(ctx: TerminalOpenDeps, ready: ReadySession, t: TerminalTarget): void {
  vscode.window.createTerminal({ name: terminalName(t), pty: sandboxPty(ctx, ready, t), iconPath: terminalIcon(), isTransient: true }).show();
}

export function sandboxPty(ctx: TerminalOpenDeps, ready: ReadySession, t: TerminalTarget): SandboxPty {
  return new SandboxPty(t, terminalDeps(ctx, ready, t));
}

/** Where the shell runs: the sandbox, its container (setting, picker, or main), the shell setting. */
export async function terminalTarget(ctx: Pick<CommandContext, 'log'>, ready: ReadySession, ref: SandboxRef): Promise<TerminalTarget | undefined> {
  const settings = readSettings();
  const sb = ready.model.get('Sandbox', ref.namespace, ref.name) ?? (await ready.ops.get('Sandbox', ref.namespace, ref.name));
  const decision = decideContainer(containerNames(sb), settings.terminalContainer);
  if (decision.note) ctx.log.warn(decision.note);
  let container: string | undefined;
  if (decision.kind === 'use') container = decision.container;
  else {
    const picked = await vscode.window.showQuickPick(
      decision.options.map((name, i) => ({ label: name, ...(i === 0 ? { description: 'main container' } : {}) })),
      { title: `Container in ${ref.name}`, placeHolder: decision.note ?? 'Set agentSandbox.terminal.container to skip this question' },
    );
    if (!picked) return undefined;
    container = picked.label;
  }
  return { context: ready.session.context, namespace: ref.namespace, sandbox: ref.name, container, shell: settings.terminalShell };
}

/** Everything the terminal needs, pinned to the session (client, cluster) it was opened on. */
function terminalDeps(ctx: TerminalOpenDeps, ready: ReadySession, t: TerminalTarget): TerminalDeps {
  const { session, ops } = ready;
  return {
    client: session.client,
    getSandbox: (signal) => ops.get('Sandbox', t.namespace, t.sandbox, signal),
    resume: () => ops.setSuspended(t.namespace, t.sandbox, false),
    waitReady: (signal) => ops.waitReady(t.namespace, t.sandbox, { timeoutMs: readSettings().readyTimeoutSeconds * 1000, signal }),
    watch: (onChange) => watchSandbox(session, t.namespace, t.sandbox, onChange),
    askResume: async (message) => (await vscode.window.showInformationMessage(message, 'Resume')) === 'Resume',
    activity: ctx.activity,
    sessions: ctx.sessions.forTerminal(session.client, t),
    log: ctx.log,
  };
}
