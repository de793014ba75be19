import * as vscode from 'vscode';
import { describeError } from '../../core/k8s/errors';
import { containerNames, podName, sandboxState } from '../../core/model/sandbox';
import { readSettings } from '../config';
import { decideContainer } from '../terminal/containerChoice';
import { RunPty } from '../terminal/runPty';
import { SandboxPty, terminalName } from '../terminal/sandboxPty';
import { watchSandbox } from '../terminal/sandboxWatch';
import type { TerminalDeps, TerminalTarget } from '../terminal/terminalFlow';
import { CommandContext, isResourceNode, pickSandboxes, ReadySession, register, requireReady, sandboxOf, SandboxRef, selectedNodes, UserError } from './support';

export const TERMINAL_PROFILE_ID = 'agentSandbox.terminalProfile';
const TERMINAL_ICON = new vscode.ThemeIcon('vm');

/** Open Terminal, Run Command in Sandbox…, and the "Agent Sandbox" terminal profile. */
export function registerTerminalCommands(ctx: CommandContext): vscode.Disposable[] {
  let lastCommand = '';
  return [
    register(ctx, 'agentSandbox.openTerminal', async (arg, selection) => {
      const nodes = selectedNodes(arg, selection);
      const refs = nodes.length ? undefined : await pickOne(ctx, 'Open a terminal in sandbox');
      const ready = requireReady(ctx);
      for (const ref of refs ?? nodes.map((n) => sandboxOfNode(ready, n))) {
        const t = await terminalTarget(ctx, ready, ref);
        if (!t) continue;
        openSandboxTerminal(ctx, ready, t);
      }
    }),
    register(ctx, 'agentSandbox.runCommand', async (arg) => {
      const ready = requireReady(ctx);
      const ref = isResourceNode(arg) ? sandboxOfNode(ready, arg) : (await pickOne(ctx, 'Run a command in sandbox'))?.[0];
      if (!ref) return;
      const t = await terminalTarget(ctx, ready, ref);
      if (!t) return;
      const commandLine = await vscode.window.showInputBox({
        title: `Run Command in ${t.sandbox}`,
        prompt: `Runs as sh -c "…" in ${t.container ? `container ${t.container}` : 'the main container'}; output streams to a terminal.`,
        placeHolder: 'e.g. python -V && ls -la',
        value: lastCommand,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter a command'),
      });
      if (!commandLine?.trim()) return;
      lastCommand = commandLine;
      const sb = await ready.ops.get('Sandbox', t.namespace, t.sandbox);
      const state = sandboxState(sb);
      const pod = podName(sb);
      if (state !== 'Running' || !pod) throw new UserError(state === 'Hibernated' || state === 'Hibernating' ? `${t.sandbox} is hibernated; resume it first.` : `${t.sandbox} is ${state.toLowerCase()}, not running.`);
      const pty = new RunPty(ready.session.client, { ...t, pod, commandLine }, ctx.log, ctx.activity);
      const short = commandLine.length > 30 ? `${commandLine.slice(0, 29)}…` : commandLine;
      vscode.window.createTerminal({ name: `Run: ${short} · ${t.sandbox}`, pty, iconPath: new vscode.ThemeIcon('run'), isTransient: true }).show();
    }),
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
      provideTerminalProfile: async () => {
        try {
          const ready = requireReady(ctx);
          const ref = (await pickOne(ctx, 'Open a terminal in sandbox'))?.[0];
          const t = ref && (await terminalTarget(ctx, ready, ref));
          if (!t) return undefined;
          return new vscode.TerminalProfile({ name: terminalName(t), pty: new SandboxPty(t, terminalDeps(ctx, ready, t)), iconPath: TERMINAL_ICON, isTransient: true });
        } catch (err) {
          ctx.log.error(`terminal profile: ${describeError(err)}`);
          throw err;
        }
      },
    }),
  ];
}

/** A terminal on a sandbox; with `t.sessionId` it reattaches to that session of the sandbox's holder. */
export function openSandboxTerminal(ctx: CommandContext, ready: ReadySession, t: TerminalTarget): void {
  vscode.window.createTerminal({ name: terminalName(t), pty: new SandboxPty(t, terminalDeps(ctx, ready, t)), iconPath: TERMINAL_ICON, isTransient: true }).show();
}

function sandboxOfNode(ready: ReadySession, node: Parameters<typeof sandboxOf>[0]): SandboxRef {
  // A node from before a context switch must not open a shell on the new context's cluster.
  if (node.context !== ready.session.context) throw new UserError(`${node.name} belongs to context ${node.context}, which is no longer active.`);
  return sandboxOf(node, ready.model);
}

async function pickOne(ctx: CommandContext, title: string): Promise<SandboxRef[] | undefined> {
  const { model } = requireReady(ctx);
  const picked = await pickSandboxes(model, title, ['Running', 'Starting', 'Hibernated', 'Hibernating'], false);
  return picked.length ? picked : undefined;
}

/** Where the shell runs: the sandbox, its container (setting, picker, or main), the shell setting. */
export async function terminalTarget(ctx: CommandContext, ready: ReadySession, ref: SandboxRef): Promise<TerminalTarget | undefined> {
  const settings = readSettings();
  const sb = ready.model.get('Sandbox', ref.namespace, ref.name) ?? (await ready.ops.get('Sandbox', ref.namespace, ref.name));
  const decision = decideContainer(containerNames(sb), settings.terminalContainer);
  if (decision.note) ctx.log.warn(decision.note);
  let container: string | undefined;
  if (decision.kind === 'use') container = decision.container;
  else {
    const picked = await vscode.window.showQuickPick(
      decision.options.map((name, i) => ({ label: name, description: i === 0 ? 'main container' : undefined })),
      { title: `Container in ${ref.name}`, placeHolder: decision.note ?? 'Set agentSandbox.terminal.container to skip this question' },
    );
    if (!picked) return undefined;
    container = picked.label;
  }
  return { context: ready.session.context, namespace: ref.namespace, sandbox: ref.name, container, shell: settings.terminalShell };
}

/** Everything the terminal needs, pinned to the session (client, cluster) it was opened on. */
function terminalDeps(ctx: CommandContext, ready: ReadySession, t: TerminalTarget): TerminalDeps {
  const { session, ops } = ready;
  return {
    client: session.client,
    getSandbox: (signal) => ops.get('Sandbox', t.namespace, t.sandbox, signal),
    resume: () => ops.setSuspended(t.namespace, t.sandbox, false),
    waitReady: (signal) => ops.waitReady(t.namespace, t.sandbox, { timeoutMs: readSettings().readyTimeoutSeconds * 1000, signal }),
    watch: (onChange) => watchSandbox(session, t.namespace, t.sandbox, onChange),
    askResume: async (message) => (await vscode.window.showInformationMessage(message, 'Resume')) === 'Resume',
    activity: ctx.activity,
    sessions: ctx.sessions?.forTerminal(session.client, t),
    log: ctx.log,
  };
}
