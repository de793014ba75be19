import type * as vscode from 'vscode';
import type { Fits } from '../typePins';
import { SECTION, SETTING_KEYS, SETTINGS, SettingGroup, SettingKey, settingId } from './schema';

/** The part of VS Code's ConfigurationChangeEvent we use. */
export interface ConfigurationChangeLike {
  affectsConfiguration(section: string): boolean;
}

/** config.ts hands VS Code's onDidChangeConfiguration events straight to settingsChange(). */
export type ConfigurationChangePin = Fits<vscode.ConfigurationChangeEvent, ConfigurationChangeLike>;

/** Which of our settings one configuration change touched. */
export class SettingsChange {
  constructor(readonly keys: ReadonlySet<SettingKey>) {}

  get isEmpty(): boolean {
    return this.keys.size === 0;
  }

  /** True when a changed key is `what`, or lies in the group `what` (`cost` covers `cost.cpuHour`). */
  affects(what: SettingKey | SettingGroup): boolean {
    for (const k of this.keys) if (k === what || k.startsWith(`${what}.`)) return true;
    return false;
  }

  /** A changed key needs a new client (the kubeconfig): the context reconnects. */
  get needsReconnect(): boolean {
    for (const k of this.keys) if (SETTINGS[k].reconnect) return true;
    return false;
  }
}

/** Asks the event about each known key (the schema test keeps that list complete). */
export function settingsChange(e: ConfigurationChangeLike): SettingsChange {
  // One question for the common case (another extension's setting) before one per key.
  if (!e.affectsConfiguration(SECTION)) return new SettingsChange(new Set());
  return new SettingsChange(new Set(SETTING_KEYS.filter((k) => e.affectsConfiguration(settingId(k)))));
}
