import * as vscode from 'vscode';
import { DEFAULT_PRICES, Prices } from '../core/finops/cost';

/** The one place that reads settings. Keys mirror package.json's contributes.configuration. */
export interface Settings {
  kubeconfig: string | undefined;
  hibernateTimeoutSeconds: number;
  readyTimeoutSeconds: number;
  /** Shell for sandbox terminals (a program name or path); undefined: bash → ash → sh. */
  terminalShell: string | undefined;
  /** Container for sandbox terminals; undefined: picker for several, else the main one. */
  terminalContainer: string | undefined;
  /** Where a sandbox's Files node starts: absolute, or relative to the working directory; '' = the working directory. */
  filesRoot: string;
  /** Files above this size are not opened in an editor (Download is offered). */
  filesMaxFileSizeMB: number;
  /** Opt-in: hibernate sandboxes this window used once idle for autoHibernateIdleMinutes. */
  autoHibernateEnabled: boolean;
  autoHibernateIdleMinutes: number;
  /** Prices for the cost estimates (per vCPU-hour, GiB-hour, GiB-month of storage, currency). */
  prices: Prices;
}

const SECTION = 'agentSandbox';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    kubeconfig: trustedKubeconfigPath(c),
    hibernateTimeoutSeconds: clamp(c.get<number>('hibernateTimeoutSeconds', 300), 10, 3600),
    readyTimeoutSeconds: clamp(c.get<number>('readyTimeoutSeconds', 300), 10, 3600),
    terminalShell: nonEmpty(c.get<string>('terminal.shell')),
    terminalContainer: nonEmpty(c.get<string>('terminal.container')),
    filesRoot: c.get<string>('files.root', '').trim(),
    filesMaxFileSizeMB: clamp(c.get<number>('files.maxFileSizeMB', 50), 1, 4096),
    autoHibernateEnabled: c.get<boolean>('autoHibernate.enabled', false) === true,
    autoHibernateIdleMinutes: clamp(c.get<number>('autoHibernate.idleMinutes', 30), 1, 1440),
    prices: {
      cpuHour: clamp(c.get<number>('cost.cpuHour', DEFAULT_PRICES.cpuHour), 0, 1000),
      memoryGiBHour: clamp(c.get<number>('cost.memoryGiBHour', DEFAULT_PRICES.memoryGiBHour), 0, 1000),
      storageGiBMonth: clamp(c.get<number>('cost.storageGiBMonth', DEFAULT_PRICES.storageGiBMonth), 0, 1000),
      currency: currencyCode(c.get<string>('cost.currency', DEFAULT_PRICES.currency)),
    },
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

function nonEmpty(v: string | undefined): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** An ISO 4217 code as Intl wants it (upper case); anything else falls back to the default. */
function currencyCode(v: string | undefined): string {
  const code = typeof v === 'string' ? v.trim().toUpperCase() : '';
  return /^[A-Z]{3}$/.test(code) ? code : DEFAULT_PRICES.currency;
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
