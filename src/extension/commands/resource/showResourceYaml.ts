import * as vscode from 'vscode';
import type { ResourceNode } from '../../../core/tree/nodes';
import { yamlUri } from '../../yaml/yamlDocuments';
import { CommandContext, requireReady } from '../support';
import { resourceOrPick } from './resourceOrPick';

/** Show YAML: a read-only document of the clicked object (read from the API), else of a sandbox picked. */
export async function showResourceYaml(ctx: CommandContext, node?: ResourceNode): Promise<void> {
  const target = await resourceOrPick(ctx, node);
  if (!target) return;
  const doc = await vscode.workspace.openTextDocument(yamlUri(target.context || requireReady(ctx).session.context, target.kind, target.namespace, target.name));
  await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: true });
}
