import * as vscode from 'vscode';

/** The one place that reads settings. Keys mirror package.json's contributes.configuration. */
export interface Settings {
  kubeconfig: string | undefined;
  hibernateTimeoutSeconds: number;
  readyTimeoutSeconds: number;
}

const SECTION = 'agentSandbox';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    kubeconfig: trustedKubeconfigPath(c),
    hibernateTimeoutSeconds: clamp(c.get<number>('hibernateTimeoutSeconds', 300), 10, 3600),
    readyTimeoutSeconds: clamp(c.get<number>('readyTimeoutSeconds', 300), 10, 3600),
  };
}

/**
 * A kubeconfig's exec plugin runs a program, so a path set by the workspace is honoured only in
 * a trusted workspace; in Restricted Mode only the user's own (global) value counts.
 */
function trustedKubeconfigPath(c: vscode.WorkspaceConfiguration): string | undefined {
  const inspected = c.inspect<string>('kubeconfig');
  const value = vscode.workspace.isTrusted ? c.get<string>('kubeconfig') : inspected?.globalValue;
  return value && value.trim() ? value.trim() : undefined;
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
