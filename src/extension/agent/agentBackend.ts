import { agentFileSystem, AgentBackend } from '../../core/agent/backend';
import { PreviewForwards } from '../../core/agent/previews';
import { KubeError } from '../../core/k8s/errors';
import { contextNamespace } from '../../core/k8s/kubeconfig';
import type { Logger } from '../../core/logging/logger';
import type { ActivityTracker } from '../../core/finops/activity';
import type { ContextSession } from '../../core/session';
import type { ClusterManager } from '../../core/clusterManager';
import { readSettings } from '../config';

/**
 * The tools' view of the current context: the window's live session, its chosen namespaces, the
 * consent settings, and this window's activity tracker (agent use keeps a sandbox "in use").
 */
export function backendProvider(manager: ClusterManager, activity: ActivityTracker, previews: PreviewForwards, log: Logger): () => Promise<AgentBackend> {
  const fsBySession = new WeakMap<ContextSession, AgentBackend['fs']>();
  return async () => {
    const state = manager.state;
    if (state.kind !== 'session')
      throw new KubeError('No Kubernetes cluster is selected in VS Code: no kubeconfig was found, or it cannot be read.', undefined, 'NoKubeconfig', 'network');
    const session = state.session;
    if (session.state.kind === 'connecting') await session.connect();
    const s = session.state;
    if (s.kind === 'unreachable') throw s.error;
    if (s.kind === 'not-installed') throw new KubeError(`agent-sandbox is not installed in the cluster of context ${session.context}`, 404, 'NotInstalled');
    if (s.kind !== 'ready') throw new KubeError(`Still connecting to ${session.context}`, undefined, 'Connecting', 'network');
    let fs = fsBySession.get(session);
    if (!fs) fsBySession.set(session, (fs = agentFileSystem(session.client, s.ops, log)));
    const settings = readSettings();
    const namespaces = session.scope.all ? undefined : session.scope.namespaces;
    return {
      context: session.context,
      client: session.client,
      api: s.api,
      ops: s.ops,
      fs,
      namespaces,
      defaultNamespace: namespaces?.[0] ?? contextNamespace(state.kubeconfig.config, session.context) ?? 'default',
      policy: { mode: 'interactive', autoApproveIsolated: settings.agentAutoApproveIsolated, allowUnisolatedRun: settings.agentAllowUnisolatedRun },
      previews,
      readyTimeoutMs: settings.readyTimeoutSeconds * 1000,
      hibernateTimeoutMs: settings.hibernateTimeoutSeconds * 1000,
      log,
      activity,
    };
  };
}
