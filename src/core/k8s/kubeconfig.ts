import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** Where the kubeconfig came from, for messages and the welcome view. */
export interface KubeconfigSource {
  files: string[];
  /** Files named (by KUBECONFIG or the setting) that do not exist; kubectl skips them too. */
  missing: string[];
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  source: KubeconfigSource;
  contexts: string[];
  currentContext: string;
}

export class NoKubeconfigError extends Error {
  constructor(readonly looked: string[]) {
    super(`No kubeconfig found (looked at ${looked.join(', ') || 'nothing'})`);
    this.name = 'NoKubeconfigError';
  }
}

/**
 * Resolves kubeconfig files the way kubectl does: an explicit path wins; else every existing path
 * in $KUBECONFIG (merged, first wins); else ~/.kube/config.
 */
export function resolveKubeconfigFiles(explicitPath: string | undefined, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): KubeconfigSource {
  const expand = (p: string) => (p.startsWith('~') ? path.join(home, p.slice(1)) : p);
  let candidates: string[];
  if (explicitPath && explicitPath.trim()) candidates = [expand(explicitPath.trim())];
  else if (env['KUBECONFIG'] && env['KUBECONFIG'].trim()) candidates = env['KUBECONFIG'].split(path.delimiter).filter(Boolean).map(expand);
  else candidates = [path.join(home, '.kube', 'config')];
  const files: string[] = [];
  const missing: string[] = [];
  for (const c of candidates) (fs.existsSync(c) ? files : missing).push(c);
  return { files, missing };
}

/**
 * A kubeconfig that cannot be read or parsed. js-yaml's own message quotes the lines around the
 * error, which in a kubeconfig are tokens, passwords and keys: only the reason and position are kept.
 */
export class BadKubeconfigError extends Error {
  constructor(file: string, err: unknown) {
    super(`${file}: ${safeParseMessage(err)}`);
    this.name = 'BadKubeconfigError';
  }
}

function safeParseMessage(err: unknown): string {
  const e = err as { name?: string; reason?: string; mark?: { line: number; column: number }; code?: string; message?: string };
  if (e?.name === 'YAMLException') return `${e.reason ?? 'invalid YAML'}${e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : ''}`;
  if (typeof e?.code === 'string') return e.code === 'ENOENT' ? 'not found' : e.code === 'EACCES' ? 'permission denied' : `cannot be read (${e.code})`;
  // client-node's own validation ("clusters[0].name is missing"…) names fields, never values.
  return ((e?.message ?? String(err)).split('\n')[0] ?? '').slice(0, 200);
}

function loadFile(config: KubeConfig, file: string): void {
  try {
    config.loadFromFile(file);
  } catch (err) {
    throw new BadKubeconfigError(file, err);
  }
}

/** Loads and merges the kubeconfig files. Never writes to them. */
export function loadKubeconfig(source: KubeconfigSource): LoadedKubeconfig {
  const [first, ...others] = source.files;
  if (first === undefined) throw new NoKubeconfigError(source.missing);
  const config = new KubeConfig();
  loadFile(config, first);
  for (const file of others) {
    const more = new KubeConfig();
    loadFile(more, file);
    mergeFirstWins(config, more);
  }
  const contexts = config.getContexts().map((c) => c.name);
  const [firstContext] = contexts;
  if (firstContext === undefined) throw new NoKubeconfigError(source.files);
  const currentContext = contexts.includes(config.getCurrentContext()) ? config.getCurrentContext() : firstContext;
  return { config, source, contexts, currentContext };
}

/** kubectl's merge rule: the first file to define a name wins; current-context from the first that sets one. */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  const has = <T extends { name: string }>(list: T[], name: string) => list.some((x) => x.name === name);
  const clusters = [...into.clusters, ...from.clusters.filter((c) => !has(into.clusters, c.name))];
  const users = [...into.users, ...from.users.filter((u) => !has(into.users, u.name))];
  const contexts = [...into.contexts, ...from.contexts.filter((c) => !has(into.contexts, c.name))];
  const currentContext = into.getCurrentContext() || from.getCurrentContext();
  into.loadFromOptions({ clusters, users, contexts, currentContext });
}

/** A copy of the config pinned to one context, so a session keeps its cluster when the user switches. */
export function configForContext(config: KubeConfig, context: string): KubeConfig {
  if (!config.contexts.some((c) => c.name === context)) throw new Error(`Context "${context}" is not in the kubeconfig`);
  const pinned = new KubeConfig();
  pinned.loadFromOptions({ clusters: config.clusters, users: config.users, contexts: config.contexts, currentContext: context });
  return pinned;
}

/** The namespace a context names, if any. */
export function contextNamespace(config: KubeConfig, context: string): string | undefined {
  return config.contexts.find((c) => c.name === context)?.namespace;
}
