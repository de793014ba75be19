import type { KubeClient } from '../k8s/client';
import type { Logger } from '../logging/logger';
import { ExecForward, probeRelay } from '../portforward/execForward';

/** Local forwards opened by previewPort, one per sandbox port, kept until disposed. */
export class PreviewForwards {
  private readonly forwards = new Map<string, ExecForward>();

  constructor(
    private readonly log: Logger,
    private readonly onTraffic?: (key: { context: string; namespace: string; sandbox: string }) => void,
  ) {}

  async open(
    client: KubeClient,
    t: { context: string; namespace: string; sandbox: string; pod: string; container?: string | undefined; port: number },
  ): Promise<{ url: string; reused: boolean }> {
    const key = `${t.context}/${t.namespace}/${t.sandbox}/${t.container ?? ''}/${t.port}`;
    const existing = this.forwards.get(key);
    if (existing) return { url: `http://127.0.0.1:${existing.localPort}`, reused: true };
    const relay = await probeRelay(client, { namespace: t.namespace, pod: t.pod, container: t.container });
    const forward = await ExecForward.start(
      client,
      { namespace: t.namespace, pod: () => t.pod, container: t.container, remotePort: t.port },
      relay,
      { localPort: 0, onTraffic: () => this.onTraffic?.(t) },
      this.log,
    );
    this.forwards.set(key, forward);
    return { url: `http://127.0.0.1:${forward.localPort}`, reused: false };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.forwards.values()].map((f) => f.stop()));
    this.forwards.clear();
  }
}
