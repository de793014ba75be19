import * as vscode from 'vscode';
import type { ResourceNode } from '../../../core/tree/nodes';
import type { CommandContext } from '../support';
import { resourceOrPick } from './resourceOrPick';

/** Copy Name: of the clicked object, else of a sandbox picked. */
export async function copyResourceName(ctx: CommandContext, node?: ResourceNode): Promise<void> {
  const target = await resourceOrPick(ctx, node);
  if (!target) return;
  await vscode.env.clipboard.writeText(target.name);
  vscode.window.setStatusBarMessage(`Copied ${target.name}`, 3000);
}
