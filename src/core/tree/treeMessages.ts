import type { InformerStatus } from '../k8s/informer';
import type { KubeError } from '../k8s/errors';
import { KINDS, KindName } from '../k8s/resources';
import type { MessageNode } from './nodes';

/** The rows that explain instead of list (connecting, errors, empty, filtered); ids are stable so they are reused. */
export function message(id: string, text: string, severity: MessageNode['severity'], detail?: string, command?: MessageNode['command']): MessageNode {
  return { type: 'message', id: `msg:${id}`, text, severity, detail, command };
}

export function badKubeconfigMessage(reason: string): MessageNode {
  return message('bad-kubeconfig', `Cannot read the kubeconfig: ${reason}`, 'error', undefined, {
    command: 'agentSandbox.pickKubeconfig',
    title: 'Choose a kubeconfig file',
  });
}

export function unreachableMessages(error: KubeError): MessageNode[] {
  return [
    message('unreachable', `Cannot reach the cluster: ${error.message}`, 'error', `${error.message}\n\nDetails are in the "Agent Sandbox" output log.`, {
      command: 'agentSandbox.retry',
      title: 'Retry',
    }),
    message('unreachable-retry', 'Retry', 'info', undefined, { command: 'agentSandbox.retry', title: 'Retry' }),
  ];
}

export function notInstalledMessage(): MessageNode {
  return message(
    'not-installed',
    'Agent Sandbox is not installed on this cluster',
    'warning',
    'The `agents.x-k8s.io` API group is not served. Install agent-sandbox (with extensions for claims and warm pools):\n\n`kubectl apply -f https://github.com/kubernetes-sigs/agent-sandbox/releases/latest/download/manifest.yaml`\n\n`kubectl apply -f https://github.com/kubernetes-sigs/agent-sandbox/releases/latest/download/extensions.yaml`',
  );
}

/** A kind that cannot be listed: forbidden (a warning, it will not fix itself), else an error with Retry now. */
export function statusMessage(id: string, kind: KindName, st: Extract<InformerStatus, { state: 'error' }>, where: string): MessageNode {
  const title = KINDS[kind].title;
  if (st.error.isForbidden) return message(`forbidden:${id}`, `No permission to list ${title} in ${where}`, 'warning', st.error.message);
  return message(
    `err:${id}`,
    `Cannot list ${title}: ${st.error.message}`,
    'error',
    `${st.error.message}\n\nRetrying in ${Math.round(st.retryInMs / 1000)} s.`,
    { command: 'agentSandbox.refresh', title: 'Retry now' },
  );
}

/** The watch was lost: what is shown is kept but may be out of date until it is back. */
export function staleMessage(id: string, kind: KindName, st: Extract<InformerStatus, { state: 'reconnecting' }>): MessageNode {
  const retry = st.retryInMs > 0 ? `\n\nNext attempt in ${Math.round(st.retryInMs / 1000)} s.` : '';
  return message(`stale:${id}`, `${KINDS[kind].title}: reconnecting… (may be out of date)`, 'loading', `${st.error.message}${retry}`, {
    command: 'agentSandbox.refresh',
    title: 'Retry now',
  });
}
