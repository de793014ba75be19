import { DEFAULT_PRICES } from '../finops/cost';

/**
 * Every `agentSandbox.*` setting with its type and default, as package.json's
 * contributes.configuration declares them (test/unit/core/settings/settingsSchema.test.ts checks both ways).
 * VS Code-free so the table and the change logic are tested in plain Node.
 */
export const SECTION = 'agentSandbox';

type TypeName<T> = T extends string ? 'string' : T extends number ? 'number' : T extends boolean ? 'boolean' : 'object';

export interface SettingSpec<T> {
  readonly type: TypeName<T>;
  readonly default: T;
  readonly enum?: readonly T[];
  /** Listed in capabilities.untrustedWorkspaces.restrictedConfigurations: a workspace value counts only when trusted. */
  readonly restricted?: true;
  /** A change means a new client: the kubeconfig is read again and the context reconnects. */
  readonly reconnect?: true;
}

// Typed per entry, so `default: 300` stays a number and an enum default must be one of its options.
const spec = <T>(s: SettingSpec<T>): SettingSpec<T> => s;

export const SETTINGS = {
  kubeconfig: spec<string>({ type: 'string', default: '', restricted: true, reconnect: true }),
  hibernateTimeoutSeconds: spec<number>({ type: 'number', default: 300 }),
  readyTimeoutSeconds: spec<number>({ type: 'number', default: 300 }),
  'terminal.shell': spec<string>({ type: 'string', default: '' }),
  'terminal.container': spec<string>({ type: 'string', default: '' }),
  'terminal.persistentSessions': spec<boolean>({ type: 'boolean', default: true }),
  'terminal.uploadHelper': spec<boolean>({ type: 'boolean', default: true }),
  'terminal.persistentSessionsUnderGVisor': spec<boolean>({ type: 'boolean', default: true }),
  'terminal.reattachOnReload': spec<'ask' | 'always' | 'never'>({ type: 'string', default: 'ask', enum: ['ask', 'always', 'never'] }),
  'files.root': spec<string>({ type: 'string', default: '' }),
  'files.maxFileSizeMB': spec<number>({ type: 'number', default: 50 }),
  'files.watchIntervalSeconds': spec<number>({ type: 'number', default: 2 }),
  'autoHibernate.enabled': spec<boolean>({ type: 'boolean', default: false, restricted: true }),
  'autoHibernate.idleMinutes': spec<number>({ type: 'number', default: 30, restricted: true }),
  'cost.cpuHour': spec<number>({ type: 'number', default: DEFAULT_PRICES.cpuHour }),
  'cost.memoryGiBHour': spec<number>({ type: 'number', default: DEFAULT_PRICES.memoryGiBHour }),
  'cost.storageGiBMonth': spec<number>({ type: 'number', default: DEFAULT_PRICES.storageGiBMonth }),
  'cost.currency': spec<string>({ type: 'string', default: DEFAULT_PRICES.currency }),
  'router.urls': spec<Record<string, string>>({ type: 'object', default: {}, restricted: true }),
  'preview.openIn': spec<'simpleBrowser' | 'external'>({ type: 'string', default: 'simpleBrowser', enum: ['simpleBrowser', 'external'] }),
  'agent.autoApproveIsolated': spec<boolean>({ type: 'boolean', default: false }),
  'agent.allowUnisolatedRun': spec<boolean>({ type: 'boolean', default: false }),
  'tree.groupThreshold': spec<number>({ type: 'number', default: 100 }),
};

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends SettingSpec<infer T> ? T : never;
/** The part before the first dot (`cost` for `cost.cpuHour`): listeners often care about a whole group. */
export type SettingGroup = SettingKey extends infer K ? (K extends `${infer G}.${string}` ? G : never) : never;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The full id VS Code uses (`agentSandbox.cost.cpuHour`). */
export function settingId(key: SettingKey | SettingGroup): string {
  return `${SECTION}.${key}`;
}
