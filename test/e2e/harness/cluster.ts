// The local cluster for the journeys: whether it is up, and what is ready on it (read with kubectl).
import { clusterEnv, kubectl } from '../../support/cluster';

export { CLUSTER_ENV_FILE, clusterEnv, kubectl, type KubectlOptions } from '../../support/cluster';

/**
 * Why a journey cannot run (the local cluster is not up), or false. Under CI there is no such
 * excuse: false is returned so the journey runs and fails loudly.
 */
export function clusterSkipReason(): string | false {
  try {
    clusterEnv();
    return false;
  } catch (err) {
    return process.env['CI'] ? false : (err as Error).message;
  }
}

/** Names of the pool's sandboxes whose Ready condition is True, read with kubectl. */
export function readyPoolSandboxes(namespace: string, pool: string): string[] {
  return kubectl([
    'get',
    'sandboxes.agents.x-k8s.io',
    '-n',
    namespace,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
  ])
    .split('\n')
    .filter((l) => l.startsWith(`${pool}-`) && l.endsWith(' True'))
    .map((l) => l.split(' ')[0]);
}
