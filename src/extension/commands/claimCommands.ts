import * as vscode from 'vscode';
import type { KindName } from '../../core/k8s/resources';
import type { KubeObject } from '../../core/model/objects';
import { poolReplicas } from '../../core/model/pool';
import { launchType, retainedPvcs } from '../../core/model/sandbox';
import { claimSandboxName } from '../../core/model/claim';
import { generateClaimName, validateName } from '../../core/model/validation';
import { readSettings } from '../config';
import { CommandContext, isResourceNode, pickObject, register, requireReady, seconds, selectedNodes, UserError } from './support';

/** New Claim from a warm pool, and Delete for claims and sandboxes. */
export function registerClaimCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    register(ctx, 'agentSandbox.newClaim', (arg) => newClaim(ctx, arg)),
    register(ctx, 'agentSandbox.delete', (arg, selection) => deleteObjects(ctx, arg, selection)),
  ];
}

async function newClaim(ctx: CommandContext, arg: unknown): Promise<void> {
  const { model, ops } = requireReady(ctx);
  const pool: KubeObject | undefined =
    isResourceNode(arg) && arg.kind === 'SandboxWarmPool'
      ? (model.get('SandboxWarmPool', arg.namespace, arg.name) ?? arg.object)
      : await pickObject(model, 'SandboxWarmPool', 'New claim from which warm pool?', (p) => {
          const r = poolReplicas(p);
          return `${r.ready}/${r.desired} ready`;
        });
  if (!pool) return;
  const namespace = pool.metadata.namespace ?? '';
  const name = await vscode.window.showInputBox({
    title: `New claim from ${pool.metadata.name}`,
    prompt: 'Claim name (lowercase letters, digits and "-")',
    value: generateClaimName(pool.metadata.name),
    validateInput: (v) => validateName(v.trim()) ?? (model.get('SandboxClaim', namespace, v.trim()) ? `A claim named ${v.trim()} already exists in ${namespace}.` : undefined),
  });
  if (name === undefined) return;
  const claimName = name.trim();
  const timeoutMs = readSettings().readyTimeoutSeconds * 1000;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Claiming a sandbox from ${pool.metadata.name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const start = Date.now();
      await ops.createClaim(namespace, claimName, pool);
      progress.report({ message: 'waiting for the sandbox to be Ready…' });
      let sandbox: KubeObject;
      try {
        sandbox = await ops.waitClaimReady(namespace, claimName, { timeoutMs, signal: abort.signal });
      } catch (err) {
        if (abort.signal.aborted) {
          void vscode.window.showInformationMessage(`Claim ${claimName} was created; stopped waiting for its sandbox.`);
          return;
        }
        throw err;
      }
      const ms = Date.now() - start;
      const launch = launchType(sandbox);
      const how = launch === 'warm' ? 'warm from the pool' : launch === 'cold' ? 'cold (the pool had no ready sandbox)' : 'ready';
      ctx.log.info(`claim ${namespace}/${claimName} → sandbox ${sandbox.metadata.name}: ${how} in ${ms} ms`);
      await revealSoon(ctx, 'Sandbox', namespace, sandbox.metadata.name);
      void vscode.window.showInformationMessage(`Sandbox ${sandbox.metadata.name} is ready: ${how}, in ${ms} ms (${seconds(ms)}).`);
    },
  );
}

/** Reveals a node once the tree has it (the watch may deliver it a moment after the API answered). */
async function revealSoon(ctx: CommandContext, kind: KindName, namespace: string, name: string): Promise<void> {
  if (!ctx.treeView.visible) return;
  const group = ctx.tree.groupNode(namespace, kind);
  if (group) await Promise.resolve(ctx.tree.getChildren(group));
  const node = ctx.tree.findResource(kind, namespace, name);
  if (node) {
    try {
      await ctx.treeView.reveal(node, { select: true, focus: false, expand: true });
    } catch (err) {
      ctx.log.debug(`reveal ${name}: ${(err as Error).message}`);
    }
  }
}

async function deleteObjects(ctx: CommandContext, arg: unknown, selection: unknown): Promise<void> {
  const { model, ops } = requireReady(ctx);
  let nodes = selectedNodes(arg, selection).filter((n) => n.kind === 'SandboxClaim' || n.kind === 'Sandbox');
  if (nodes.length === 0) {
    const claim = await pickObject(model, 'SandboxClaim', 'Delete which claim?', (c) => claimSandboxName(c) ?? 'not bound');
    if (!claim) return;
    nodes = [{ type: 'resource', id: '', context: '', namespace: claim.metadata.namespace ?? '', kind: 'SandboxClaim', name: claim.metadata.name, object: claim }];
  }
  const lines: string[] = [];
  for (const n of nodes) {
    const sb = n.kind === 'Sandbox' ? (model.get('Sandbox', n.namespace, n.name) ?? n.object) : model.claimSandbox(n.object);
    const pvcs = sb ? retainedPvcs(sb) : [];
    const goes = sb ? [`sandbox ${sb.metadata.name}`, 'its pod', 'its Service', ...(pvcs.length ? [`PVC${pvcs.length > 1 ? 's' : ''} ${pvcs.join(', ')} and ALL THEIR DATA`] : [])] : [];
    lines.push(`${n.kind === 'Sandbox' ? 'Sandbox' : 'Claim'} ${n.namespace}/${n.name}${goes.length ? ` — with ${goes.join(', ')}` : ''}`);
    if (n.kind === 'Sandbox' && sb && model.sandboxClaim(sb)) lines.push(`  (it belongs to claim ${model.sandboxClaim(sb)?.metadata.name}, which will provision a new sandbox)`);
  }
  const choice = await vscode.window.showWarningMessage(
    nodes.length === 1 ? `Delete ${nodes[0].name}?` : `Delete ${nodes.length} objects?`,
    { modal: true, detail: `${lines.join('\n')}\n\nThis cannot be undone.` },
    'Delete',
  );
  if (choice !== 'Delete') return;
  const results = await Promise.allSettled(nodes.map((n) => ops.delete(n.kind, n.namespace, n.name)));
  const failed = results.map((r, i) => ({ r, n: nodes[i] })).filter((x) => x.r.status === 'rejected');
  if (failed.length) throw new UserError(`Could not delete ${failed.map((f) => f.n.name).join(', ')}: ${((failed[0].r as PromiseRejectedResult).reason as Error).message}`);
  void vscode.window.showInformationMessage(`Deleted ${nodes.map((n) => n.name).join(', ')}.`);
}
