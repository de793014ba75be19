import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { execCollect } from '../../src/core/exec/execSession';
import { ExecSession } from '../../src/core/exec/execSession';
import { defaultContainer, PodLocator } from '../../src/core/files/locator';
import { SandboxFileSystem } from '../../src/core/files/sandboxFs';
import { joinPath } from '../../src/core/files/uri';
import { apiVersionString } from '../../src/core/k8s/resources';
import { podName } from '../../src/core/model/sandbox';
import { ensureCluster, kubectl, opsFor, uniqueName } from '../integration/cluster';

(async () => {
  const { demoNamespace: NS } = ensureCluster();
  const { client, ops, api } = await opsFor();
  const name = process.env.SB ?? uniqueName('exp');
  if (!process.env.SB) kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: apiVersionString(api, 'Sandbox'), kind: 'Sandbox', metadata: { name, namespace: NS }, spec: { podTemplate: { spec: { containers: [{ name: 'main', image: 'x', command: ['sleep', 'infinity'] }] } } } }));
  const sb = await ops.waitReady(NS, name, { timeoutMs: 120000 });
  console.log('sandbox', name);
  const t = { context: 'agent-sandbox-local', namespace: NS, sandbox: name, container: defaultContainer(sb)! };
  const fs = new SandboxFileSystem(new PodLocator({ client: async () => client, sandbox: () => ops.get('Sandbox', NS, name) }));
  const wd = await fs.workingDirectory(t);
  const data = randomBytes(10 << 20);
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    await fs.write(t, joinPath(wd, 'x.bin'), data, { create: true, overwrite: true });
    const t1 = performance.now();
    await fs.stat(t, joinPath(wd, 'x.bin'));
    const t2 = performance.now();
    // raw: cat > file via head -c with nothing else
    const r = await execCollect(client, { namespace: NS, pod: podName(sb)!, container: t.container, command: ['sh', '-c', 'head -c "$1" > "$2"', 'sh', String(data.length), joinPath(wd, 'y.bin')], input: data });
    const t3 = performance.now();
    const r2 = await execCollect(client, { namespace: NS, pod: podName(sb)!, container: t.container, command: ['true'] });
    const t4 = performance.now();
    console.log(`write ${(t1 - t0).toFixed(0)} stat ${(t2 - t1).toFixed(0)} rawhead ${(t3 - t2).toFixed(0)} ${JSON.stringify(r.result)} true ${(t4 - t3).toFixed(0)}`, r2.result.kind);
  }
  void ExecSession;
})();
