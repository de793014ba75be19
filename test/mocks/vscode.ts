// A small runtime stand-in for the `vscode` module, for unit tests of the thin adapters in
// src/extension (test/mocks/register.mjs points `vscode` here). Only what those tests use, with
// VS Code's own behaviour where a test depends on it; the `mock` export lets a test set
// settings and trust and fire configuration changes.
import type * as vscode from 'vscode';
import { URI, Utils } from 'vscode-uri';

/** vscode.Uri is vscode-uri's URI (VS Code's own code, published); joinPath lives in its Utils. */
export const Uri = Object.assign(URI, { joinPath: Utils.joinPath });

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  private done = false;
  constructor(private readonly onDispose: () => unknown) {}
  dispose(): void {
    if (this.done) return;
    this.done = true;
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: ((e: T) => unknown)[] = [];
  readonly event = (listener: (e: T) => unknown): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  isTrusted?: boolean | { readonly enabledCommands: readonly string[] };
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
}

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: vscode.Command;
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

/** As VS Code builds it: the message is the text (or the URI), the code names the factory. */
export class FileSystemError extends Error {
  static FileNotFound(messageOrUri?: string | URI): FileSystemError {
    return new FileSystemError(messageOrUri, 'FileNotFound');
  }
  constructor(
    messageOrUri?: string | URI,
    readonly code = 'Unknown',
  ) {
    super(messageOrUri instanceof URI ? messageOrUri.toString(true) : messageOrUri);
    this.name = `${code} (FileSystemError)`;
  }
}

type Scope = 'global' | 'workspace';
const settings: Record<Scope, Map<string, unknown>> = { global: new Map(), workspace: new Map() };
const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
const updates: { key: string; value: unknown; target: ConfigurationTarget | boolean | undefined }[] = [];

/** A section's view of the settings: the workspace value wins over the user's, as in VS Code. */
function configuration(section: string) {
  const id = (key: string) => (section ? `${section}.${key}` : key);
  const value = (key: string) => (settings.workspace.has(id(key)) ? settings.workspace.get(id(key)) : settings.global.get(id(key)));
  return {
    get: <T>(key: string, fallback?: T): T | undefined => (value(key) as T | undefined) ?? fallback,
    has: (key: string) => value(key) !== undefined,
    inspect: <T>(key: string) => ({
      key: id(key),
      globalValue: settings.global.get(id(key)) as T | undefined,
      workspaceValue: settings.workspace.get(id(key)) as T | undefined,
    }),
    update: async (key: string, v: unknown, target?: ConfigurationTarget | boolean) => {
      updates.push({ key: id(key), value: v, target });
      settings[target === ConfigurationTarget.Global || target === true ? 'global' : 'workspace'].set(id(key), v);
    },
  };
}

export const workspace = {
  isTrusted: true,
  getConfiguration: (section = '') => configuration(section),
  onDidChangeConfiguration: configurationChanged.event,
};

/** Test controls: not part of VS Code's API. */
export const mock = {
  /** Sets (or, with undefined, removes) a setting by its full id, in the user's or the workspace's settings. */
  set(id: string, value: unknown, scope: Scope = 'global'): void {
    if (value === undefined) settings[scope].delete(id);
    else settings[scope].set(id, value);
  },
  /** Fires onDidChangeConfiguration for these full setting ids (and their sections). */
  change(...ids: string[]): void {
    configurationChanged.fire({ affectsConfiguration: (s) => ids.some((id) => id === s || id.startsWith(`${s}.`)) });
  },
  /** Whether the workspace is trusted (false: Restricted Mode). */
  trust(trusted: boolean): void {
    workspace.isTrusted = trusted;
  },
  /** Every update() call, in order. */
  updates,
  reset(): void {
    settings.global.clear();
    settings.workspace.clear();
    updates.length = 0;
    workspace.isTrusted = true;
  },
};
