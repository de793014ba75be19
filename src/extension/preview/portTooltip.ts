import type { KubeClient } from '../../core/k8s/client';
import type { ClusterModel } from '../../core/model/clusterModel';
import { claimSandboxName } from '../../core/model/claim';
import { containerNames, podIPs, podName, sandboxState } from '../../core/model/sandbox';
import { describePort, ListeningPort, reachableFromOutside } from '../../core/preview/listeningPorts';
import { readListeningPorts } from '../../core/preview/readPorts';
import type { TooltipSource } from '../tree/provider';

const FRESH_MS = 10_000;
const PREVIEW = 'agentSandbox.openPreview';
const FORWARD = 'agentSandbox.forwardPort';
const COMMANDS: readonly string[] = [PREVIEW, FORWARD];

/** Markdown text, escaped: process names come from the sandbox and are untrusted. */
function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/**
 * A sandbox row's tooltip lists its listening ports, read when the user hovers it (one exec, kept
 * 10 s), each with Preview and Forward links. Nothing is read for rows nobody hovers.
 */
export function portTooltipSource(client: () => KubeClient | undefined): TooltipSource {
  const cache = new Map<string, { at: number; ports: ListeningPort[] }>();
  return async (node, model: ClusterModel | undefined) => {
    if (node.kind !== 'Sandbox' && node.kind !== 'SandboxClaim') return undefined;
    const name = node.kind === 'Sandbox' ? node.name : claimSandboxName(model?.get('SandboxClaim', node.namespace, node.name) ?? node.object);
    const sb = name ? model?.get('Sandbox', node.namespace, name) : undefined;
    const pod = sb ? podName(sb) : undefined;
    const c = client();
    if (!sb || !pod || !c || sandboxState(sb) !== 'Running') return undefined;
    const key = `${node.namespace}/${pod}`;
    let hit = cache.get(key);
    if (!hit || Date.now() - hit.at > FRESH_MS) {
      const ports = await readListeningPorts(c, { namespace: node.namespace, pod, container: containerNames(sb)[0], podIPs: podIPs(sb) }).catch(
        () => undefined,
      );
      if (!ports) return { markdown: '_Listening ports: could not be read._', commands: [] };
      hit = { at: Date.now(), ports };
      cache.set(key, hit);
    }
    if (!hit.ports.length) return { markdown: '**Listening ports:** none', commands: [] };
    const arg = {
      type: 'resource',
      id: `tooltip:${key}`,
      context: node.context,
      namespace: node.namespace,
      kind: 'Sandbox',
      name: sb.metadata.name,
      object: { metadata: { name: sb.metadata.name, namespace: node.namespace } },
    };
    const link = (cmd: string, port: number) => `command:${cmd}?${encodeURIComponent(JSON.stringify([arg, port]))}`;
    const lines = hit.ports.slice(0, 8).map((p) => {
      const local = reachableFromOutside(p, podIPs(sb)) ? '' : ' (pod-local)';
      return `- ${md(describePort(p))}${local} — [Preview](${link(PREVIEW, p.port)}) · [Forward](${link(FORWARD, p.port)})`;
    });
    return { markdown: `**Listening ports:**\n${lines.join('\n')}`, commands: [...COMMANDS] };
  };
}
