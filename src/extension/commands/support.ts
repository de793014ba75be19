import * as vscode from 'vscode';
import type { ActivityTracker } from '../../core/finops/activity';
import type { Logger } from '../../core/logging/logger';
import { describeError, KubeError } from '../../core/k8s/errors';
import { claimSandboxName } from '../../core/model/claim';
import type { ClusterModel } from '../../core/model/clusterModel';
import type { KubeObject } from '../../core/model/objects';
import { sandboxState, SandboxState } from '../../core/model/sandbox';
import type { ReadySession } from '../../core/session';
import type { ClusterManager } from '../../core/clusterManager';
import type { CommandId } from '../../shared/commandIds';
import type { TerminalSessionService } from '../terminal/terminalSessions';
import type { SandboxTreeProvider } from '../tree/provider';
import type { ResourceNode, TreeNode } from '../../core/tree/nodes';
import type { ArgsOf } from './args';

/** The log every feature writes to; `show` opens it (the "Show Log" button). */
export type ShownLog = Logger & { show(preserveFocus?: boolean): void };

/** The services every command handler can use; the rest of Services (services.ts) is handed to the features that need it. */
export interface CommandContext {
  manager: ClusterManager;
  tree: SandboxTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  log: ShownLog;
  /** Per-sandbox activity this window saw; terminals, files and port forwards call `touch` (idle time, auto-hibernate). */
  activity: ActivityTracker;
  /** Small per-user memory (e.g. New Claim's options per pool); never secrets. */
  state: vscode.Memento;
  /** Persistent terminal sessions (the sandbox-side holder, reattach after a reload). */
  sessions: TerminalSessionService;
}

/** An error whose message is meant for the user as it is (no stack, no "Error:" prefix). */
export class UserError extends Error {}

export type { ReadySession };

export function requireReady(ctx: { manager: ClusterManager }): ReadySession {
  const session = ctx.manager.session;
  if (!session) throw new UserError('No cluster is selected: check your kubeconfig.');
  const s = session.state;
  if (s.kind === 'connecting') throw new UserError(`Still connecting to ${session.context}…`);
  if (s.kind === 'unreachable') throw new UserError(`Cannot reach ${session.context}: ${s.error.message}`);
  if (s.kind === 'not-installed') throw new UserError(`Agent Sandbox is not installed on ${session.context}.`);
  return { session, api: s.api, model: s.model, ops: s.ops };
}

/**
 * Registers a command with uniform error handling: every failure is logged and shown, never
 * swallowed. A handler that takes arguments names how they are read (`args`, from ./args): the only
 * place where what VS Code passes is narrowed to the handler's typed node, port or id.
 */
export function register(ctx: { log: ShownLog }, id: CommandId, handler: () => unknown): vscode.Disposable;
export function register<A extends unknown[]>(
  ctx: { log: ShownLog },
  id: CommandId,
  handler: NoInfer<(...args: A) => unknown>,
  args: ArgsOf<A>,
): vscode.Disposable;
export function register(ctx: { log: ShownLog }, id: CommandId, handler: (...args: unknown[]) => unknown, args?: ArgsOf<unknown[]>): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...raw: unknown[]) => runReported(ctx, id, () => handler(...(args ? args(raw) : []))));
}

/**
 * Runs a command's work, or a feature action one feature calls in another (a panel's button), with
 * the commands' error handling: a failure is logged under `label` and shown, never thrown on.
 */
export async function runReported<T>(ctx: { log: ShownLog }, label: string, work: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof KubeError && err.kind === 'cancelled') return undefined;
    const message = describeError(err);
    ctx.log.error(`${label}: ${message}`);
    const choice = await vscode.window.showErrorMessage(message, ...(err instanceof UserError ? [] : ['Show Log']));
    if (choice === 'Show Log') ctx.log.show(true);
    return undefined;
  }
}

export interface SandboxRef {
  namespace: string;
  name: string;
}

/** A sandbox or claim node → the sandbox it means (a claim means its bound sandbox). */
export function sandboxOf(node: ResourceNode, model: ClusterModel): SandboxRef {
  if (node.kind === 'Sandbox') return { namespace: node.namespace, name: node.name };
  if (node.kind === 'SandboxClaim') {
    const claim = model.get('SandboxClaim', node.namespace, node.name) ?? node.object;
    const name = claimSandboxName(claim);
    if (!name) throw new UserError(`Claim ${node.name} has no sandbox bound yet.`);
    return { namespace: node.namespace, name };
  }
  throw new UserError(`${node.name} is not a sandbox or claim.`);
}

/** The sandbox a clicked node means (a claim: its sandbox); undefined lets the caller pick one. */
export function sandboxArg(ctx: { manager: ClusterManager }, node: ResourceNode | undefined): SandboxRef | undefined {
  return node ? sandboxOf(node, requireReady(ctx).model) : undefined;
}

/** Quick pick over sandboxes, optionally filtered by state; several can be chosen when `many`. */
export async function pickSandboxes(model: ClusterModel, title: string, states: SandboxState[] | undefined, many: boolean): Promise<SandboxRef[]> {
  const sandboxes = model.all('Sandbox').filter((s) => !states || states.includes(sandboxState(s)));
  if (sandboxes.length === 0) throw new UserError(states ? `No sandbox is ${states.join(' or ').toLowerCase()}.` : 'There are no sandboxes.');
  const items = sandboxes.map((s) => ({ label: s.metadata.name, description: `${s.metadata.namespace} · ${sandboxState(s)}`, obj: s }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDescription: true });
    return (picked ?? []).map((p) => ({ namespace: p.obj.metadata.namespace ?? '', name: p.obj.metadata.name }));
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return picked ? [{ namespace: picked.obj.metadata.namespace ?? '', name: picked.obj.metadata.name }] : [];
}

/** The sandboxes the clicked nodes mean (a claim: its sandbox), else the ones picked from the sandboxes in `states`. */
export async function sandboxesOrPick(model: ClusterModel, nodes: ResourceNode[], title: string, states: SandboxState[]): Promise<SandboxRef[]> {
  return nodes.length ? nodes.map((n) => sandboxOf(n, model)) : pickSandboxes(model, title, states, true);
}

export async function pickObject(
  model: ClusterModel,
  kind: 'SandboxWarmPool' | 'SandboxClaim',
  title: string,
  describe: (o: KubeObject) => string,
): Promise<KubeObject | undefined> {
  const objects = model.all(kind);
  if (objects.length === 0)
    throw new UserError(kind === 'SandboxWarmPool' ? 'There are no warm pools in the chosen namespaces.' : 'There are no claims in the chosen namespaces.');
  const picked = await vscode.window.showQuickPick(
    objects.map((o) => ({ label: o.metadata.name, description: `${o.metadata.namespace} · ${describe(o)}`, obj: o })),
    { title, matchOnDescription: true },
  );
  return picked?.obj;
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
