import type * as vscode from 'vscode';

/** Router tokens, one per kubeconfig context, in VS Code's SecretStorage only (never settings or logs). */
export class RouterTokens {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(context: string): string {
    return `agentSandbox.routerToken:${context}`;
  }

  get(context: string): Thenable<string | undefined> {
    return this.secrets.get(this.key(context));
  }

  set(context: string, token: string): Thenable<void> {
    return this.secrets.store(this.key(context), token);
  }

  forget(context: string): Thenable<void> {
    return this.secrets.delete(this.key(context));
  }
}
