import * as vscode from 'vscode';
import type { KubeObject } from '../../core/model/objects';
import { retainedPvcs } from '../../core/model/sandbox';
import { type CommandContext, requireReady, UserError } from '../commands/support';

/** A claim or sandbox to delete; `object` is what the caller saw (the live model's copy wins). */
export interface DeleteTarget {
  kind: 'Sandbox' | 'SandboxClaim';
  namespace: string;
  name: string;
  object: KubeObject;
}

/** Deletes claims and sandboxes after one modal confirmation that names what goes with them (pod, Service, PVC data). */
export async function deleteObjects(ctx: Pick<CommandContext, 'manager'>, targets: DeleteTarget[]): Promise<void> {
  const { model, ops } = requireReady(ctx);
  const lines: string[] = [];
  for (const n of targets) {
    const sb = n.kind === 'Sandbox' ? (model.get('Sandbox', n.namespace, n.name) ?? n.object) : model.claimSandbox(n.object);
    const pvcs = sb ? retainedPvcs(sb) : [];
    const goes = sb
      ? [
          `sandbox ${sb.metadata.name}`,
          'its pod',
          'its Service',
          ...(pvcs.length ? [`PVC${pvcs.length > 1 ? 's' : ''} ${pvcs.join(', ')} and ALL THEIR DATA`] : []),
        ]
      : [];
    lines.push(`${n.kind === 'Sandbox' ? 'Sandbox' : 'Claim'} ${n.namespace}/${n.name}${goes.length ? ` — with ${goes.join(', ')}` : ''}`);
    if (n.kind === 'Sandbox' && sb && model.sandboxClaim(sb))
      lines.push(`  (it belongs to claim ${model.sandboxClaim(sb)?.metadata.name}, which will provision a new sandbox)`);
  }
  const choice = await vscode.window.showWarningMessage(
    targets.length === 1 ? `Delete ${targets[0]!.name}?` : `Delete ${targets.length} objects?`,
    { modal: true, detail: `${lines.join('\n')}\n\nThis cannot be undone.` },
    'Delete',
  );
  if (choice !== 'Delete') return;
  const results = await Promise.allSettled(targets.map((n) => ops.delete(n.kind, n.namespace, n.name)));
  const failed = targets.map((n, i) => ({ r: results[i], n })).filter((x) => x.r?.status === 'rejected');
  const [first] = failed;
  if (first) throw new UserError(`Could not delete ${failed.map((f) => f.n.name).join(', ')}: ${((first.r as PromiseRejectedResult).reason as Error).message}`);
  void vscode.window.showInformationMessage(`Deleted ${targets.map((n) => n.name).join(', ')}.`);
}
