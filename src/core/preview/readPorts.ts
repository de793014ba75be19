import { execCollect } from '../exec/execSession';
import type { KubeClient } from '../k8s/client';
import { KubeError } from '../k8s/errors';
import { LISTENING_PORTS_COMMAND, ListeningPort, parseListeningPorts, sandboxPorts } from './listeningPorts';

/** The ports a running sandbox listens on (one exec), keeping only the sandbox's own sockets. */
export async function readListeningPorts(
  client: KubeClient,
  t: { namespace: string; pod: string; container?: string | undefined; podIPs: string[] },
): Promise<ListeningPort[]> {
  const { result, stdout, stderr } = await execCollect(client, {
    namespace: t.namespace,
    pod: t.pod,
    container: t.container,
    command: [...LISTENING_PORTS_COMMAND],
    timeoutMs: 20_000,
  });
  if (result.kind !== 'exited' || result.code !== 0) {
    const why = result.kind === 'exited' ? `exit code ${result.code}` : result.message;
    throw new KubeError(
      `Cannot list the listening ports of ${t.pod} (${why}${stderr.length ? `: ${stderr.toString('utf8').trim().slice(0, 200)}` : ''}).`,
      undefined,
      'PortsUnreadable',
    );
  }
  return sandboxPorts(parseListeningPorts(stdout.toString('utf8')), t.podIPs);
}
