import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../k8s/client';
import { discover } from '../k8s/discovery';
import { KubeError, unlessNotFound } from '../k8s/errors';
import { configForContext } from '../k8s/kubeconfig';
import { ApiModel, objectPath } from '../k8s/resources';
import type { Logger } from '../logging/logger';
import type { SandboxSource } from './locator';
import type { FileTarget } from './uri';
import type { KubeObject } from '../model/objects';
import type { ClusterManager } from '../clusterManager';

/**
 * Finds sandboxes for file URIs. The active context answers from its live model (no request);
 * a URI of another kubeconfig context (a workspace folder kept from earlier) gets its own client.
 */
export class ManagerSandboxSource implements SandboxSource {
  private readonly others = new Map<string, { config: KubeConfig; client: KubeClient; api?: ApiModel }>();

  constructor(
    private readonly manager: ClusterManager,
    private readonly log: Logger,
  ) {}

  // async so that a context missing from the kubeconfig (other() throws) rejects like the rest.
  // eslint-disable-next-line @typescript-eslint/require-await
  async client(context: string): Promise<KubeClient> {
    const session = this.manager.session;
    if (session?.context === context) return session.client;
    return this.other(context).client;
  }

  async sandbox(t: FileTarget): Promise<KubeObject | undefined> {
    const session = this.manager.session;
    let client: KubeClient;
    let api: ApiModel;
    if (session?.context === t.context) {
      const s = session.state;
      if (s.kind === 'connecting') await session.connect();
      const st = session.state;
      if (st.kind !== 'ready')
        throw new KubeError(`The cluster of context ${t.context} is not reachable or has no agent-sandbox`, undefined, undefined, 'network');
      const model = st.model;
      if (model.isRunning && model.status('Sandbox', t.namespace).state === 'synced') return model.get('Sandbox', t.namespace, t.sandbox);
      client = session.client;
      api = st.api;
    } else {
      const other = this.other(t.context);
      client = other.client;
      other.api ??= await discover(client);
      api = other.api;
    }
    return unlessNotFound(client.get<KubeObject>(objectPath(api, 'Sandbox', t.namespace, t.sandbox), { what: `read sandbox ${t.namespace}/${t.sandbox}` }));
  }

  private other(context: string): { config: KubeConfig; client: KubeClient; api?: ApiModel } {
    const state = this.manager.state;
    if (state.kind !== 'session') throw new KubeError('No kubeconfig is loaded', undefined, undefined, 'network');
    const known = this.others.get(context);
    if (known && known.config === state.kubeconfig.config) return known;
    if (!state.kubeconfig.contexts.includes(context)) throw new KubeError(`Context "${context}" is not in the kubeconfig`, undefined, undefined, 'network');
    this.log.info(`files: opening context ${context} for a sandbox file URI`);
    const entry = { config: state.kubeconfig.config, client: new KubeClient(configForContext(state.kubeconfig.config, context), context, this.log) };
    this.others.set(context, entry);
    return entry;
  }
}
