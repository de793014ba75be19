// A ClusterManager over a scripted cluster: a real kubeconfig file with contexts a and b, and a
// SessionConnector whose every list answers with the given objects and whose watches the test
// drives and counts. No network is involved.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterManager } from '../../../src/core/clusterManager';
import type { KubeError } from '../../../src/core/k8s/errors';
import type { KindName } from '../../../src/core/k8s/resources';
import type { ListResult, WatchEvent, WatchTransport } from '../../../src/core/k8s/watchTransport';
import { silentLogger } from '../../../src/core/logging/logger';
import type { ClusterModel } from '../../../src/core/model/clusterModel';
import type { KubeObject } from '../../../src/core/model/objects';
import { ContextSession, type SessionConnector } from '../../../src/core/session';

/** Every watch any scripted transport opened and not yet closed. */
export const openWatches = { count: 0 };

export class ScriptedWatch implements WatchTransport {
  watching = 0;
  emit: (e: WatchEvent) => void = () => assert.fail('no watch is open');
  constructor(
    readonly kind: KindName | 'Pod',
    private readonly items: KubeObject[] = [],
  ) {}
  list(): Promise<ListResult> {
    return Promise.resolve({ items: this.items, resourceVersion: '1' });
  }
  watch(_rv: string, onEvent: (e: WatchEvent) => void, _onClose: (err?: KubeError) => void) {
    openWatches.count++;
    this.watching++;
    this.emit = onEvent;
    let closed = false;
    return {
      close: () => {
        if (closed) return;
        closed = true;
        openWatches.count--;
        this.watching--;
      },
    };
  }
}

export function scriptedCluster(objects: Partial<Record<KindName, KubeObject[]>> = {}) {
  const transports = new Map<ContextSession, ScriptedWatch[]>();
  const connectorFor = (made: ScriptedWatch[]): SessionConnector => ({
    discover: async () => ({ core: 'v1beta1', extensions: 'v1beta1' }),
    serverVersion: async () => 'v1.36.3',
    kindTransport: (_c, _api, kind) => {
      const t = new ScriptedWatch(kind, objects[kind]);
      made.push(t);
      return t;
    },
    podTransport: () => {
      const t = new ScriptedWatch('Pod');
      made.push(t);
      return t;
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'scripted-cluster-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: a
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: a, context: {cluster: c, user: u}}, {name: b, context: {cluster: c, user: u}}]
`,
  );
  const memory = new Map<string, unknown>();
  const manager = new ClusterManager({
    memento: { get: <T>(k: string) => memory.get(k) as T | undefined, update: async (k, v) => void memory.set(k, v) },
    log: silentLogger,
    kubeconfigPath: () => file,
    openSession: (config, context, scope, log) => {
      const made: ScriptedWatch[] = [];
      const session = new ContextSession(config, context, scope, log, { connector: connectorFor(made) });
      transports.set(session, made);
      return session;
    },
  });
  /** The transports the current session made, in order (a Retry adds a new model's). */
  const current = (): ScriptedWatch[] => transports.get(manager.session as ContextSession) ?? [];
  return { manager, transports, current };
}

/** Resolves once `done` holds (the model debounces its events by 50 ms); a hang fails after 5 s. */
export async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function readyModel(manager: ClusterManager): ClusterModel {
  const s = manager.session?.state;
  assert.equal(s?.kind, 'ready');
  return s.model;
}
