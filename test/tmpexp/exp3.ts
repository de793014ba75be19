import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { execCollect } from '../../src/core/exec/execSession';
import { defaultContainer, PodLocator } from '../../src/core/files/locator';
import { SandboxFileSystem } from '../../src/core/files/sandboxFs';
import { joinPath } from '../../src/core/files/uri';
import { podName } from '../../src/core/model/sandbox';
import { opsFor } from '../integration/cluster';

(async () => {
  const NS = 'agent-sandbox-demo';
  const { client, ops } = await opsFor();
  const claim = 'exp3-' + Date.now().toString(36);
  await ops.createClaim(NS, claim, await ops.get('SandboxWarmPool', NS, 'python-pool'));
  const sb = await ops.waitClaimReady(NS, claim, { timeoutMs: 180000 });
  const name = sb.metadata.name;
  const t = { context: 'agent-sandbox-local', namespace: NS, sandbox: name, container: defaultContainer(sb)! };
  const fs = new SandboxFileSystem(new PodLocator({ client: async () => client, sandbox: () => ops.get('Sandbox', NS, name) }));
  const wd = await fs.workingDirectory(t);
  const data = randomBytes(10 << 20);
  const pod = podName(sb)!;
  const small = Buffer.from('x');
  for (let i = 0; i < 5; i++) {
    const a = performance.now(); await fs.write(t, joinPath(wd, 'x.bin'), data, { create: true, overwrite: true });
    const b = performance.now(); await execCollect(client, { namespace: NS, pod, container: t.container, command: ['sh', '-c', 'head -c "$1" > "$2"', 'sh', String(data.length), joinPath(wd, 'y.bin')], input: data });
    const c = performance.now(); await fs.write(t, joinPath(wd, 's.txt'), small, { create: true, overwrite: true });
    const d = performance.now(); await execCollect(client, { namespace: NS, pod, container: t.container, command: ['sh', '-c', 'head -c "$1" > "$2"', 'sh', '1', joinPath(wd, 'z.txt')], input: small });
    const e = performance.now(); await execCollect(client, { namespace: NS, pod, container: t.container, command: ['true'] });
    const f = performance.now();
    console.log(`10MB ours ${(b - a).toFixed(0)} raw ${(c - b).toFixed(0)} | 1B ours ${(d - c).toFixed(0)} raw ${(e - d).toFixed(0)} | true ${(f - e).toFixed(0)}`);
  }
  await ops.delete('SandboxClaim', NS, claim);
})();
