import * as vscode from 'vscode';
import type { KindName } from '../../../core/k8s/resources';
import type { KubeObject } from '../../../core/model/objects';
import { poolReplicas } from '../../../core/model/pool';
import { launchType } from '../../../core/model/sandbox';
import { claimFormOptions } from '../../../core/model/claimBody';
import { generateClaimName, validateName } from '../../../core/model/validation';
import type { ResourceNode } from '../../../core/tree/nodes';
import { readSettings } from '../../config';
import { CommandContext, pickObject, requireReady, seconds, UserError } from '../support';
import { claimOptionsSteps } from './claimOptions';

/** New Claim…: a claim on the clicked warm pool (else one picked), its options, then a wait for its sandbox to be Ready. */
export async function newClaim(ctx: CommandContext, node?: ResourceNode): Promise<void> {
  const { model, ops } = requireReady(ctx);
  const pool: KubeObject | undefined =
    node?.kind === 'SandboxWarmPool'
      ? (model.get('SandboxWarmPool', node.namespace, node.name) ?? node.object)
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
    validateInput: (v) =>
      validateName(v.trim()) ?? (model.get('SandboxClaim', namespace, v.trim()) ? `A claim named ${v.trim()} already exists in ${namespace}.` : undefined),
  });
  if (name === undefined) return;
  const claimName = name.trim();
  const form = await claimOptionsSteps(ctx, pool);
  if (!form) return;
  const parsed = claimFormOptions(form);
  if ('problem' in parsed) throw new UserError(parsed.problem);
  const timeoutMs = readSettings().readyTimeoutSeconds * 1000;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Claiming a sandbox from ${pool.metadata.name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const start = Date.now();
      const created = await ops.createClaim(namespace, claimName, pool, parsed.options);
      progress.report({ message: 'waiting for the sandbox to be Ready…' });
      let sandbox: KubeObject;
      try {
        sandbox = await ops.waitClaimReady(namespace, claimName, { timeoutMs, signal: abort.signal, created });
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
