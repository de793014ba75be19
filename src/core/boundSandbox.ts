import type { KubeClient } from './k8s/client';
import type { ApiModel } from './k8s/resources';

/**
 * A sandbox bound to the context it was opened in, with that context's client and API versions:
 * what a panel or a port forward keeps, so it never acts on a same-named sandbox of another cluster.
 */
export interface BoundSandbox {
  context: string;
  client: KubeClient;
  api: ApiModel;
  namespace: string;
  name: string;
}
