import * as vscode from 'vscode';
import { poolReplicas } from '../../../core/model/pool';
import { validateReplicas } from '../../../core/model/validation';
import { CommandContext, isResourceNode, pickObject, register, requireReady } from '../support';

/** Scale a warm pool's desired replicas. */
export function registerPoolCommands(ctx: CommandContext): vscode.Disposable[] {
  return [register(ctx, 'agentSandbox.scalePool', (arg) => scalePool(ctx, arg))];
}

async function scalePool(ctx: CommandContext, arg: unknown): Promise<void> {
  const { model, ops } = requireReady(ctx);
  const pool =
    isResourceNode(arg) && arg.kind === 'SandboxWarmPool'
      ? (model.get('SandboxWarmPool', arg.namespace, arg.name) ?? arg.object)
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
