import type * as vscode from 'vscode';
import { suspendSandboxes } from '../../lifecycle/suspendSandboxes';
import { CommandContext, pickSandboxes, register, requireReady, sandboxOf, SandboxRef, selectedNodes } from '../support';

/** Hibernate and Resume on the selected sandboxes or claims, else on sandboxes picked from a list. */
export function registerLifecycleCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    register(ctx, 'agentSandbox.hibernate', (arg, selection) => run(ctx, true, arg, selection)),
    register(ctx, 'agentSandbox.resume', (arg, selection) => run(ctx, false, arg, selection)),
  ];
}

async function run(ctx: CommandContext, suspend: boolean, arg: unknown, selection: unknown): Promise<void> {
  const { model } = requireReady(ctx);
  const nodes = selectedNodes(arg, selection);
  const targets: SandboxRef[] = nodes.length
    ? nodes.map((n) => sandboxOf(n, model))
    : await pickSandboxes(model, suspend ? 'Hibernate sandboxes' : 'Resume sandboxes', suspend ? ['Running', 'Starting'] : ['Hibernated', 'Hibernating'], true);
  await suspendSandboxes(ctx, suspend, targets);
}
