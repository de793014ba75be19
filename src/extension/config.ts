import * as vscode from 'vscode';
import { DEFAULT_PRICES, Prices } from '../core/finops/cost';
import { SettingsChange, settingsChange } from '../core/settings/changes';
import { SECTION, SETTINGS, SettingKey, SettingValue } from '../core/settings/schema';

/**
 * The one place that reads, writes and watches settings. Keys, types and defaults come from
 * core/settings/schema.ts, which mirrors package.json's contributes.configuration.
 */
export interface Settings {
  kubeconfig: string | undefined;
  hibernateTimeoutSeconds: number;
  readyTimeoutSeconds: number;
  /** Shell for sandbox terminals (a program name or path); undefined: bash → ash → sh. */
  terminalShell: string | undefined;
  /** Container for sandbox terminals; undefined: picker for several, else the main one. */
  terminalContainer: string | undefined;
  /** Keep terminal shells in a session holder in the sandbox, so they survive lost connections and reloads. */
  terminalPersistentSessions: boolean;
  /** Copy the session holder into a sandbox that lacks it (off: only a helper already there is used). */
  terminalUploadHelper: boolean;
  /** Experimental: keep sessions in gVisor sandboxes too (runsc 2022 can lose a new session's output). */
  terminalSessionsUnderGVisor: boolean;
  /** After a window reload: ask, always or never reattach the terminals that were open. */
  terminalReattachOnReload: 'ask' | 'always' | 'never';
  /** Where a sandbox's Files node starts: absolute, or relative to the working directory; '' = the working directory. */
  filesRoot: string;
  /** Files above this size are not opened in an editor (Download is offered). */
  filesMaxFileSizeMB: number;
  /** Seconds between polls for changes inside a sandbox to open files and expanded folders; 0: off. */
  filesWatchIntervalSeconds: number;
  /** Opt-in: hibernate sandboxes this window used once idle for autoHibernateIdleMinutes. */
  autoHibernateEnabled: boolean;
  autoHibernateIdleMinutes: number;
  /** Prices for the cost estimates (per vCPU-hour, GiB-hour, GiB-month of storage, currency). */
  prices: Prices;
  /** Sandbox Router URL (with its path-routing prefix) per kubeconfig context. */
  routerUrls: Record<string, string>;
  /** Where Open Preview shows a page. */
  previewOpenIn: 'simpleBrowser' | 'external';
  /** Agent tools: run/write without asking on gVisor/Kata sandboxes (never delete, claim, lifecycle). */
  agentAutoApproveIsolated: boolean;
  /** Agent tools: allow runCommand on runc (not isolated) sandboxes at all. */
  agentAllowUnisolatedRun: boolean;
  /** A namespace's sandboxes are shown in groups (by state or owner) above this many; 0: never. */
  treeGroupThreshold: number;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const get = <K extends SettingKey>(key: K): SettingValue<K> => c.get<SettingValue<K>>(key, SETTINGS[key].default as SettingValue<K>);
  return {
    kubeconfig: trustedKubeconfigPath(c),
    hibernateTimeoutSeconds: clamp(get('hibernateTimeoutSeconds'), 10, 3600),
    readyTimeoutSeconds: clamp(get('readyTimeoutSeconds'), 10, 3600),
    terminalShell: nonEmpty(get('terminal.shell')),
    terminalContainer: nonEmpty(get('terminal.container')),
    terminalPersistentSessions: get('terminal.persistentSessions') !== false,
    terminalUploadHelper: get('terminal.uploadHelper') !== false,
    terminalSessionsUnderGVisor: get('terminal.persistentSessionsUnderGVisor') !== false,
    terminalReattachOnReload: oneOf(get('terminal.reattachOnReload'), SETTINGS['terminal.reattachOnReload'].enum ?? [], 'ask'),
    filesRoot: get('files.root').trim(),
    filesMaxFileSizeMB: clamp(get('files.maxFileSizeMB'), 1, 4096),
    filesWatchIntervalSeconds: get('files.watchIntervalSeconds') === 0 ? 0 : clamp(get('files.watchIntervalSeconds'), 1, 600),
    // Hibernating stops running work: in Restricted Mode a workspace cannot turn it on or shorten it.
    autoHibernateEnabled: trusted(c, 'autoHibernate.enabled') === true,
    autoHibernateIdleMinutes: clamp(trusted(c, 'autoHibernate.idleMinutes'), 1, 1440),
    prices: {
      cpuHour: clamp(get('cost.cpuHour'), 0, 1000),
      memoryGiBHour: clamp(get('cost.memoryGiBHour'), 0, 1000),
      storageGiBMonth: clamp(get('cost.storageGiBMonth'), 0, 1000),
      currency: currencyCode(get('cost.currency')),
    },
    routerUrls: trustedRouterUrls(c),
    previewOpenIn: get('preview.openIn') === 'external' ? 'external' : 'simpleBrowser',
    agentAutoApproveIsolated: userValue(c, 'agent.autoApproveIsolated') === true,
    agentAllowUnisolatedRun: userValue(c, 'agent.allowUnisolatedRun') === true,
    treeGroupThreshold: get('tree.groupThreshold') === 0 ? 0 : clamp(get('tree.groupThreshold'), 10, 100_000),
  };
}

/**
 * A router URL receives the user's router token, so (as for the kubeconfig) a workspace's value
 * counts only in a trusted workspace; only string values that are http(s) URLs are kept.
 */
function trustedRouterUrls(c: vscode.WorkspaceConfiguration): Record<string, string> {
  const inspected = c.inspect<Record<string, unknown>>('router.urls');
  const raw = vscode.workspace.isTrusted ? c.get<Record<string, unknown>>('router.urls') : inspected?.globalValue;
  const out: Record<string, string> = {};
  for (const [context, url] of Object.entries(raw ?? {})) {
    if (typeof url === 'string' && /^https?:\/\//.test(url.trim())) out[context] = url.trim();
  }
  return out;
}

/** Sets (or, with undefined, removes) the router URL of one context in the user's settings. */
export async function setRouterUrl(context: string, url: string | undefined): Promise<void> {
  const current = { ...(vscode.workspace.getConfiguration(SECTION).inspect<SettingValue<'router.urls'>>('router.urls')?.globalValue ?? {}) };
  if (url) current[context] = url;
  else delete current[context];
  await writeUserSetting('router.urls', current);
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

function oneOf<T extends string>(v: string | undefined, options: readonly T[], fallback: T): T {
  return options.includes(v as T) ? (v as T) : fallback;
}

/**
 * Consent settings count only from the user's own settings: a workspace (a cloned repository)
 * must not be able to approve agent actions for the person.
 */
function userValue(c: vscode.WorkspaceConfiguration, key: SettingKey): unknown {
  return c.inspect(key)?.globalValue;
}

/** The effective value in a trusted workspace; in Restricted Mode only the user's (global) value or the default. */
function trusted<K extends SettingKey>(c: vscode.WorkspaceConfiguration, key: K): SettingValue<K> {
  const fallback = SETTINGS[key].default as SettingValue<K>;
  if (vscode.workspace.isTrusted) return c.get<SettingValue<K>>(key, fallback);
  return c.inspect<SettingValue<K>>(key)?.globalValue ?? fallback;
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

/**
 * Settings changes, already sorted into our keys: listeners test `change.affects('cost')` or
 * `change.needsReconnect` instead of spelling out section strings.
 */
export function onDidChangeSettings(listener: (change: SettingsChange) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    const change = settingsChange(e);
    if (!change.isEmpty) listener(change);
  });
}

/** Writes the user's (global) value of one setting: Choose Kubeconfig File…, Set Sandbox Router URL…. */
export async function writeUserSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
