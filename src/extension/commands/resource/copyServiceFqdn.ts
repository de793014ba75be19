import * as vscode from 'vscode';
import { claimServiceFqdn } from '../../../core/model/claim';
import { serviceFqdn } from '../../../core/model/sandbox';
import type { ResourceNode } from '../../../core/tree/nodes';
import { CommandContext, requireReady, UserError } from '../support';
import { resourceOrPick } from './resourceOrPick';

/** Copy In-Cluster FQDN: the service FQDN of the clicked sandbox or claim, else of a sandbox picked. */
export async function copyServiceFqdn(ctx: CommandContext, node?: ResourceNode): Promise<void> {
  const target = await resourceOrPick(ctx, node);
  if (!target) return;
  const { model } = requireReady(ctx);
  // A claim's own status.sandbox.serviceFQDN (v1.0) first: it is what SDK clients read.
  const claim = target.kind === 'SandboxClaim' ? (model.get('SandboxClaim', target.namespace, target.name) ?? target.object) : undefined;
  const sb = target.kind === 'Sandbox' ? target.object : claim ? model.claimSandbox(claim) : undefined;
  const fqdn = (claim && claimServiceFqdn(claim)) ?? (sb && serviceFqdn(sb));
  if (!fqdn) throw new UserError(`${target.name} has no sandbox, so it has no in-cluster address.`);
  await vscode.env.clipboard.writeText(fqdn);
  vscode.window.setStatusBarMessage(`Copied ${fqdn}`, 3000);
}
