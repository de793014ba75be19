import * as vscode from 'vscode';
import { poolReplicas } from '../../../core/model/pool';
import { validateReplicas } from '../../../core/model/validation';
import type { ResourceNode } from '../../../core/tree/nodes';
import { CommandContext, pickObject, requireReady } from '../support';

/** Scale Warm Pool…: the desired replicas of the clicked warm pool, else of one picked. */
export async function scalePool(ctx: CommandContext, node?: ResourceNode): Promise<void> {
  const { model, ops } = requireReady(ctx);
  const pool =
    node?.kind === 'SandboxWarmPool'
      ? (model.get('SandboxWarmPool', node.namespace, node.name) ?? node.object)
      : await pickObject(model, 'SandboxWarmPool', 'Scale which warm pool?', (p) => `${poolReplicas(p).ready}/${poolReplicas(p).desired} ready`);
  if (!pool) return;
  const current = poolReplicas(pool).desired;
  const value = await vscode.window.showInputBox({
    title: `Scale warm pool ${pool.metadata.name}`,
    prompt: `Desired ready sandboxes (now ${current})`,
    value: String(current),
    validateInput: (v) => validateReplicas(v),
  });
  if (value === undefined) return;
  const replicas = Number(value.trim());
  await ops.scalePool(pool.metadata.namespace ?? '', pool.metadata.name, replicas);
  void vscode.window.showInformationMessage(`Warm pool ${pool.metadata.name} scaled from ${current} to ${replicas}.`);
}
