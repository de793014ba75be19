import type { Logger } from '../logging/logger';
import { claimSandboxName } from '../model/claim';
import { KubeObject } from '../model/objects';
import { claimBody, ClaimOptions } from '../model/claimBody';
import { isAdoptedBy, isHibernated, isReady, suspendPatch } from '../model/sandbox';
import { validateName, validateReplicas } from '../model/validation';
import type { KubeClient } from './client';
import { KubeError, unlessNotFound } from './errors';
import { Informer } from './informer';
import { ApiModel, collectionPath, KindName, objectPath, versionFor } from './resources';
import { HttpWatchTransport } from './watchTransport';

const MERGE_PATCH = 'application/merge-patch+json';

/** Cluster actions, free of VS Code, used by the commands and by the integration tests. */
export class SandboxOperations {
  constructor(
    private readonly client: KubeClient,
    private readonly api: ApiModel,
    private readonly log: Logger,
  ) {}

  get(kind: KindName, namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.client.get<KubeObject>(objectPath(this.api, kind, namespace, name), { signal, what: `read ${kind} ${namespace}/${name}` });
  }

  /** Like `get`, but undefined when the object does not exist (404); other errors are thrown. */
  find(kind: KindName, namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
    return unlessNotFound(this.get(kind, namespace, name, signal));
  }

  /**
   * Merge-patches an object; on 409 re-reads and retries once, then explains. A body that carries
   * metadata.resourceVersion is a precondition: its conflict is final (retrying would fail the same).
   */
  async patch(kind: KindName, namespace: string, name: string, body: Record<string, unknown>): Promise<KubeObject> {
    const path = objectPath(this.api, kind, namespace, name);
    const what = `update ${kind} ${namespace}/${name}`;
    try {
      return await this.client.request<KubeObject>('PATCH', path, { body, contentType: MERGE_PATCH, what });
    } catch (err) {
      if (!(err instanceof KubeError) || !err.isConflict) throw err;
      if ((body['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion) {
        throw new KubeError(`${what}: it changed on the server since it was read, so nothing was done`, 409, 'Conflict');
      }
      this.log.info(`${what}: conflict, re-reading and retrying once`);
      await this.get(kind, namespace, name);
      try {
        return await this.client.request<KubeObject>('PATCH', path, { body, contentType: MERGE_PATCH, what });
      } catch (again) {
        if (again instanceof KubeError && again.isConflict) {
          throw new KubeError(`${what}: the object keeps changing on the server (conflict twice); try again in a moment`, 409, 'Conflict');
        }
        throw again;
      }
    }
  }

  /**
   * Hibernate (suspend) or resume a sandbox by merge-patching its spec. `only` makes it conditional:
   * the API server refuses the patch (409) unless the object still has that UID and resourceVersion,
   * so it never hits a sandbox replaced or changed since it was read.
   */
  setSuspended(
    namespace: string,
    sandbox: string,
    suspend: boolean,
    only?: { uid?: string | undefined; resourceVersion?: string | undefined },
  ): Promise<KubeObject> {
    const version = versionFor(this.api, 'Sandbox');
    if (!version) throw new KubeError('Sandboxes are not served by this cluster', 404);
    const metadata = { ...(only?.uid ? { uid: only.uid } : {}), ...(only?.resourceVersion ? { resourceVersion: only.resourceVersion } : {}) };
    return this.patch('Sandbox', namespace, sandbox, { ...suspendPatch(version, suspend), ...(Object.keys(metadata).length ? { metadata } : {}) });
  }

  /** Resolves a claim to its bound sandbox name (reading the claim when needed). */
  async sandboxOfClaim(namespace: string, claim: string): Promise<string> {
    const obj = await this.get('SandboxClaim', namespace, claim);
    const name = claimSandboxName(obj);
    if (!name) throw new KubeError(`Claim ${namespace}/${claim} has no sandbox bound yet`, undefined, 'NotBound');
    return name;
  }

  /** Creates a claim from a pool; `options` adds TTL, env, labels, pod metadata (see claimBody). */
  async createClaim(
    namespace: string,
    name: string,
    pool: KubeObject,
    options: Partial<Omit<ClaimOptions, 'name' | 'namespace' | 'pool' | 'version'>> = {},
  ): Promise<KubeObject> {
    const problem = validateName(name);
    if (problem) throw new KubeError(`Invalid claim name "${name}": ${problem}`, 422, 'Invalid');
    const version = versionFor(this.api, 'SandboxClaim');
    if (!version) throw new KubeError('Claims are not served by this cluster', 404);
    const body = claimBody({ createdBy: 'vscode', requestedAt: new Date(), ...options, name, namespace, pool, version });
    return this.client.request<KubeObject>('POST', collectionPath(this.api, 'SandboxClaim', namespace), { body, what: `create claim ${namespace}/${name}` });
  }

  async scalePool(namespace: string, pool: string, replicas: number): Promise<KubeObject> {
    const problem = validateReplicas(String(replicas));
    if (problem) throw new KubeError(`Invalid replica count: ${problem}`, 422, 'Invalid');
    return this.patch('SandboxWarmPool', namespace, pool, { spec: { replicas } });
  }

  async delete(kind: KindName, namespace: string, name: string): Promise<void> {
    await this.client.request('DELETE', objectPath(this.api, kind, namespace, name), {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      what: `delete ${kind} ${namespace}/${name}`,
    });
  }

  /**
   * Waits (over a watch on this one object, never by polling) until the predicate holds.
   * Rejects on timeout, on cancel, or when the object is deleted while waiting. With `from` (the
   * object as just created or read) it watches from that version without listing first.
   */
  waitFor(
    kind: KindName,
    namespace: string,
    name: string,
    predicate: (o: KubeObject) => boolean,
    opts: { timeoutMs: number; signal?: AbortSignal | undefined; allowMissing?: boolean; from?: KubeObject | undefined },
  ): Promise<KubeObject> {
    return new Promise<KubeObject>((resolve, reject) => {
      let done = false;
      let seen = false;
      const transport = new HttpWatchTransport(this.client, collectionPath(this.api, kind, namespace), { fieldSelector: `metadata.name=${name}` });
      const finish = (err: Error | undefined, obj?: KubeObject) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        informer.stop();
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(obj as KubeObject);
      };
      const informer = new Informer(
        transport,
        (change) => {
          for (const o of change.upserted) {
            seen = true;
            if (predicate(o)) return finish(undefined, o);
          }
          if (change.deleted.length) finish(new KubeError(`${kind} ${namespace}/${name} was deleted while waiting`, 404, 'Deleted'));
        },
        (status) => {
          if (status.state === 'synced' && !seen && informer.store.size === 0 && !opts.allowMissing) {
            finish(new KubeError(`${kind} ${namespace}/${name} does not exist`, 404, 'NotFound'));
          }
          if (status.state === 'error' && (status.error.isForbidden || status.error.status === 401)) finish(status.error);
        },
        { log: this.log, name: `wait ${kind} ${namespace}/${name}` },
      );
      const timer = setTimeout(
        () =>
          finish(
            new KubeError(`Timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for ${kind} ${namespace}/${name}`, undefined, 'Timeout', 'timeout'),
          ),
        opts.timeoutMs,
      );
      const onAbort = () => finish(new KubeError('Cancelled', undefined, 'Cancelled', 'cancelled'));
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort);
      const from = opts.from;
      if (from?.metadata.resourceVersion && from.metadata.name === name) informer.startFrom([from], from.metadata.resourceVersion);
      else informer.start();
    });
  }

  waitHibernated(namespace: string, sandbox: string, opts: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<KubeObject> {
    return this.waitFor('Sandbox', namespace, sandbox, isHibernated, opts);
  }

  waitReady(namespace: string, sandbox: string, opts: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<KubeObject> {
    return this.waitFor('Sandbox', namespace, sandbox, isReady, opts);
  }

  /**
   * Waits until a claim names its sandbox, then until that sandbox is Ready and adopted by the claim.
   * With `created` (createClaim's answer) the claim is watched from its creation, without a list;
   * the bound sandbox is read once and, unless that read shows it ready, watched from there.
   */
  async waitClaimReady(
    namespace: string,
    claim: string,
    opts: { timeoutMs: number; signal?: AbortSignal | undefined; created?: KubeObject | undefined },
  ): Promise<KubeObject> {
    const start = Date.now();
    const left = () => Math.max(1000, opts.timeoutMs - (Date.now() - start));
    const bound = await this.waitFor('SandboxClaim', namespace, claim, (c) => !!claimSandboxName(c), { ...opts, from: opts.created });
    const sandbox = claimSandboxName(bound) as string;
    const done = (sb: KubeObject) => isReady(sb) && isAdoptedBy(sb, claim);
    const read = await this.find('Sandbox', namespace, sandbox, opts.signal);
    if (read && done(read)) return read;
    return this.waitFor('Sandbox', namespace, sandbox, done, { ...opts, timeoutMs: left(), allowMissing: true, from: read });
  }
}
