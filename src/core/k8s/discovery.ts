import type { KubeClient } from './client';
import { KubeError } from './errors';
import { ApiModel, ApiVersion, CORE_GROUP, EXT_GROUP } from './resources';

interface APIGroup {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

/** Picks the version we speak: v1beta1 when served, else v1alpha1 (agent-sandbox v0.1–v0.4). */
export function chooseVersion(served: string[]): ApiVersion | undefined {
  if (served.includes('v1beta1')) return 'v1beta1';
  if (served.includes('v1alpha1')) return 'v1alpha1';
  return undefined;
}

/** Turns the /apis group list into our ApiModel. Pure, so it is unit-tested on recorded shapes. */
export function apiModelFromGroups(groups: APIGroup[]): ApiModel {
  const served = (name: string) => groups.find((g) => g.name === name)?.versions.map((v) => v.version) ?? [];
  return { core: chooseVersion(served(CORE_GROUP)), extensions: chooseVersion(served(EXT_GROUP)) };
}

/** Asks the cluster which agent-sandbox groups and versions it serves. */
export async function discover(client: KubeClient, signal?: AbortSignal): Promise<ApiModel> {
  const list = await client.get<{ groups: APIGroup[] }>('/apis', { signal, what: 'discover API groups' });
  if (!list || !Array.isArray(list.groups)) throw new KubeError('The server did not return an API group list', undefined);
  return apiModelFromGroups(list.groups);
}

/** The server's version string, for the tooltip and the log. */
export async function serverVersion(client: KubeClient): Promise<string | undefined> {
  try {
    const v = await client.get<{ gitVersion?: string }>('/version', { what: 'server version', timeoutMs: 10_000 });
    return v?.gitVersion;
  } catch {
    return undefined;
  }
}
