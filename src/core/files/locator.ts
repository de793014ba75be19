import type { KubeClient } from '../k8s/client';
import { KubeObject, rec, str } from '../model/objects';
import { containerNames, podName, sandboxState } from '../model/sandbox';
import { SandboxFileError } from './errors';
import type { PodRef } from './runner';
import { FileTarget, targetKey } from './uri';

/** Where the locator gets clients and Sandbox objects (the live model in the extension, the API in tests). */
export interface SandboxSource {
  client(context: string): Promise<KubeClient>;
  /** The Sandbox, or undefined when it does not exist. */
  sandbox(target: FileTarget): Promise<KubeObject | undefined>;
}

export interface LocatedPod extends PodRef {
  key: string;
  sandbox: KubeObject;
}

/**
 * Resolves a file URI's target to the pod to exec into. Answers are kept briefly, so a burst of
 * calls (the editor's stat + read, a tree expanding) costs one lookup; a failed exec drops them.
 */
export class PodLocator {
  private readonly cache = new Map<string, { at: number; pod: LocatedPod }>();

  constructor(
    private readonly source: SandboxSource,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async locate(t: FileTarget): Promise<LocatedPod> {
    const key = targetKey(t);
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.pod;
    const sb = await this.source.sandbox(t);
    const where = `sandbox ${t.sandbox}`;
    if (!sb) throw new SandboxFileError('Unavailable', `Sandbox ${t.namespace}/${t.sandbox} does not exist (any more) in ${t.context}`);
    const state = sandboxState(sb);
    if (state === 'Hibernated' || state === 'Hibernating') {
      throw new SandboxFileError(
        'Unavailable',
        `Sandbox ${t.sandbox} is ${state === 'Hibernated' ? 'hibernated' : 'hibernating'}; resume it to reach its files`,
        undefined,
        true,
      );
    }
    if (state === 'Expired' || state === 'Failed' || state === 'Finished')
      throw new SandboxFileError(
        'Unavailable',
        `Sandbox ${t.sandbox} has ${state === 'Expired' ? 'expired' : state === 'Failed' ? 'failed' : 'finished'}; its files cannot be reached`,
      );
    const pod = podName(sb);
    if (!pod) throw new SandboxFileError('Unavailable', `Sandbox ${t.sandbox} has no pod yet`);
    const containers = containerNames(sb);
    if (containers.length && !containers.includes(t.container))
      throw new SandboxFileError('Unavailable', `Sandbox ${t.sandbox} has no container "${t.container}" (it has ${containers.join(', ')})`);
    const located: LocatedPod = {
      client: await this.source.client(t.context),
      namespace: t.namespace,
      pod,
      container: t.container,
      label: where,
      key: `${key}/${pod}`,
      sandbox: sb,
    };
    this.cache.set(key, { at: this.now(), pod: located });
    return located;
  }

  invalidate(t: FileTarget): void {
    this.cache.delete(targetKey(t));
  }
}

/** The container's workingDir from the pod template, when the template sets one. */
export function specWorkingDir(sb: KubeObject, container: string): string | undefined {
  const containers = rec(rec(sb.spec?.['podTemplate'])?.['spec'])?.['containers'];
  if (!Array.isArray(containers)) return undefined;
  const c = containers.map(rec).find((x) => str(x?.['name']) === container);
  return str(c?.['workingDir']) || undefined;
}

/** The first container of the sandbox's pod template: the one file URIs default to. */
export function defaultContainer(sb: KubeObject): string | undefined {
  return containerNames(sb)[0];
}
