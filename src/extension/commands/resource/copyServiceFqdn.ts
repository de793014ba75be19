import * as vscode from 'vscode';
import { claimServiceFqdn } from '../../../core/model/claim';
import { serviceFqdn } from '../../../core/model/sandbox';
import { yamlUri } from '../../yaml/yamlDocuments';
import { CommandContext, isResourceNode, pickSandboxes, register, requireReady, UserError } from '../support';
import type { ResourceNode } from '../../../core/tree/nodes';

/** Copy name / FQDN and Show YAML. */
export function registerInspectCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    register(ctx, 'agentSandbox.copyName', async (arg) => {
      const node = await nodeOrPick(ctx, arg);
      if (!node) return;
      await vscode.env.clipboard.writeText(node.name);
      vscode.window.setStatusBarMessage(`Copied ${node.name}`, 3000);
    }),
    register(ctx, 'agentSandbox.copyFqdn', async (arg) => {
      const node = await nodeOrPick(ctx, arg);
      if (!node) return;
      const { model } = requireReady(ctx);
      // A claim's own status.sandbox.serviceFQDN (v1.0) first: it is what SDK clients read.
      const claim = node.kind === 'SandboxClaim' ? (model.get('SandboxClaim', node.namespace, node.name) ?? node.object) : undefined;
      const sb = node.kind === 'Sandbox' ? node.object : claim ? model.claimSandbox(claim) : undefined;
      const fqdn = (claim && claimServiceFqdn(claim)) ?? (sb && serviceFqdn(sb));
      if (!fqdn) throw new UserError(`${node.name} has no sandbox, so it has no in-cluster address.`);
      await vscode.env.clipboard.writeText(fqdn);
      vscode.window.setStatusBarMessage(`Copied ${fqdn}`, 3000);
    }),
    register(ctx, 'agentSandbox.showYaml', async (arg) => {
      const node = await nodeOrPick(ctx, arg);
      if (!node) return;
      const doc = await vscode.workspace.openTextDocument(yamlUri(node.context || requireReady(ctx).session.context, node.kind, node.namespace, node.name));
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
  ];
}

async function nodeOrPick(ctx: CommandContext, arg: unknown): Promise<ResourceNode | undefined> {
  if (isResourceNode(arg)) return arg;
  const { model, session } = requireReady(ctx);
  const [ref] = await pickSandboxes(model, 'Which sandbox?', undefined, false);
  if (!ref) return undefined;
  const obj = model.get('Sandbox', ref.namespace, ref.name);
  if (!obj) return undefined;
  return { type: 'resource', id: '', context: session.context, namespace: ref.namespace, kind: 'Sandbox', name: ref.name, object: obj };
}
