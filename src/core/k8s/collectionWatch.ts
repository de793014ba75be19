import type { Logger } from '../logging/logger';
import type { KubeObject } from '../model/objects';
import type { KubeClient } from './client';
import type { KubeError } from './errors';
import { Informer } from './informer';
import { CollectionQuery, HttpWatchTransport } from './watchTransport';

/** Core (v1) collection paths the panels watch next to the agent-sandbox kinds. */
export function corePath(namespace: string, plural: 'pods' | 'events' | 'services' | 'persistentvolumeclaims', name?: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export interface CollectionWatch {
  readonly items: KubeObject[];
  /** The last list/watch error, cleared once synced again. */
  readonly error: KubeError | undefined;
  readonly synced: boolean;
  stop(): void;
}

/**
 * A live view of a (usually field-selected) collection for one panel: the panels own their
 * watches so they stay live when the tree view, which drives the shared model, is hidden.
 */
export function watchCollection(client: KubeClient, path: string, query: CollectionQuery, onChange: () => void, log: Logger, name: string): CollectionWatch {
  let error: KubeError | undefined;
  let synced = false;
  const informer = new Informer(
    new HttpWatchTransport(client, path, query),
    () => onChange(),
    (status) => {
      const before = { error, synced };
      error = status.state === 'error' ? status.error : status.state === 'synced' ? undefined : error;
      if (status.state === 'synced') synced = true;
      // The first sync matters even with no objects: "not found" is only known once listed.
      if (before.error !== error || before.synced !== synced) onChange();
    },
    { log, name },
  );
  informer.start();
  return {
    get items() {
      return [...informer.store.values()];
    },
    get error() {
      return error;
    },
    get synced() {
      return synced;
    },
    stop: () => informer.stop(),
  };
}

/** fieldSelector for one object by name. */
export function byName(name: string): CollectionQuery {
  return { fieldSelector: `metadata.name=${name}` };
}
