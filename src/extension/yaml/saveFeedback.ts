import * as vscode from 'vscode';
import type { EditProblem } from '../../core/yaml/editedObject';
import type { SaveOutcome } from './editableYaml';

/**
 * What a save of editable YAML shows besides VS Code's own "Failed to save" notification: the
 * lines the API server (or the parser) refused, as problems, and for a 409 conflict a diff of the
 * server's version against yours. It follows the provider's onDidSave, so the provider stays a
 * plain FileSystemProvider.
 */
export class YamlSaveFeedback implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('agent-sandbox-yaml');
  private readonly sub: vscode.Disposable;

  constructor(onDidSave: vscode.Event<SaveOutcome>) {
    this.sub = onDidSave((o) => this.show(o));
  }

  private show({ doc, server, name, result }: SaveOutcome): void {
    this.diagnostics.delete(doc);
    if (result.ok) return;
    if (result.problems.length) this.diagnostics.set(doc, result.problems.map(toDiagnostic));
    if (result.kind === 'conflict') void vscode.commands.executeCommand('vscode.diff', server, doc, `${name}.yaml: server (left) ↔ yours (right)`);
  }

  dispose(): void {
    this.sub.dispose();
    this.diagnostics.dispose();
  }
}

function toDiagnostic(p: EditProblem): vscode.Diagnostic {
  const line = p.line ?? 0;
  const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'Agent Sandbox';
  return d;
}
