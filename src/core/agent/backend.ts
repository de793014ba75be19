import type { KubeClient } from '../k8s/client';
import type { SandboxOperations } from '../k8s/operations';
import type { ApiModel } from '../k8s/resources';
import type { Logger } from '../logging/logger';
import { PodLocator } from '../files/locator';
import { SandboxFileSystem } from '../files/sandboxFs';
import type { ActivityRef } from '../finops/activity';
import type { ConsentPolicy } from './consent';
import type { PreviewForwards } from './previews';

/** Everything the tools need from one kubeconfig context; built by VS Code's session or by the MCP bin. */
export interface AgentBackend {
  context: string;
  client: KubeClient;
  api: ApiModel;
  ops: SandboxOperations;
  fs: SandboxFileSystem;
  /** The namespaces tools may act in; undefined: every namespace. */
  namespaces: readonly string[] | undefined;
  defaultNamespace: string;
  policy: ConsentPolicy;
  previews: PreviewForwards;
  readyTimeoutMs: number;
  hibernateTimeoutMs: number;
  log: Logger;
  /** Where "used by this window" is recorded (the FinOps activity tracker in VS Code). */
  activity?: {
    touch(ref: ActivityRef, kind: 'agent-tool'): void;
    idleMs(ref: ActivityRef): number | undefined;
    hold?(ref: ActivityRef, kind: 'command'): { dispose(): void };
  };
}

/** The file layer for tools: a locator that reads the Sandbox from the API (no watch needed). */
export function agentFileSystem(client: KubeClient, ops: SandboxOperations, log: Logger): SandboxFileSystem {
  const locator = new PodLocator({
    client: () => Promise.resolve(client),
    sandbox: (t) => ops.find('Sandbox', t.namespace, t.sandbox),
  });
  return new SandboxFileSystem(locator, { log });
}
