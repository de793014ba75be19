import type { KubeClient } from '../k8s/client';
import { KubeError } from '../k8s/errors';

/** The name the SDKs and the upstream manifests give the router's Service. */
export const ROUTER_SERVICE = 'sandbox-router-svc';

/**
 * Looks for a router installed in the cluster: the `sandbox-router-svc` Service, or a Gateway
 * (gateway.networking.k8s.io) whose name mentions the router. Returns a hint for the user (it runs
 * there, but its URL as seen from here is theirs to set), or undefined when nothing was found or
 * we may not look (RBAC, no Gateway API): absence of evidence is not an error here.
 */
export async function detectInClusterRouter(client: KubeClient): Promise<string | undefined> {
  const found: string[] = [];
  try {
    const svcs = await client.get<{ items?: { metadata: { name: string; namespace?: string } }[] }>(
      `/api/v1/services?fieldSelector=metadata.name%3D${ROUTER_SERVICE}`,
      { what: 'look for the sandbox router Service' },
    );
    for (const s of svcs.items ?? []) found.push(`Service ${s.metadata.namespace}/${s.metadata.name}`);
  } catch (err) {
    if (!(err instanceof KubeError)) throw err;
  }
  try {
    const gws = await client.get<{ items?: { metadata: { name: string; namespace?: string } }[] }>('/apis/gateway.networking.k8s.io/v1/gateways', {
      what: 'look for a sandbox router Gateway',
    });
    for (const g of gws.items ?? []) if (/router|sandbox/i.test(g.metadata.name)) found.push(`Gateway ${g.metadata.namespace}/${g.metadata.name}`);
  } catch (err) {
    if (!(err instanceof KubeError)) throw err;
  }
  if (!found.length) return undefined;
  return `${found.slice(0, 2).join(', ')} found in the cluster; set the URL it has from here with "Set Sandbox Router URL…"`;
}
