import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ExecSession } from '../../src/core/exec/execSession';
import type { ExecResult } from '../../src/core/exec/status';
import { kubectl, opsFor } from '../integration/cluster';
import { apiVersionString } from '../../src/core/k8s/resources';

(async () => {
  const NS = 'agent-sandbox-demo';
  const { client, ops, api } = await opsFor();
  const name = 'exp2-' + Date.now().toString(36);
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: apiVersionString(api, 'Sandbox'), kind: 'Sandbox', metadata: { name, namespace: NS }, spec: { podTemplate: { spec: { containers: [{ name: 'main', image: 'x', command: ['sleep', 'infinity'] }] } } } }));
  const sb = await ops.waitReady(NS, name, { timeoutMs: 120000 });
  const data = randomBytes(10 << 20);
  async function run(chunk: number, yieldEvery: boolean, maxBuf: number) {
    let done!: (r: ExecResult) => void; const ended = new Promise<ExecResult>((r) => (done = r));
    const t0 = performance.now();
    const s = await ExecSession.open(client, { namespace: NS, pod: name, container: 'main', command: ['sh', '-c', 'head -c "$1" > y.bin', 'sh', String(data.length)], tty: false, stdin: true, pingMs: 0 }, { end: done });
    for (let i = 0; i < data.length; i += chunk) { s.write(data.subarray(i, i + chunk)); await s.drain(maxBuf); if (yieldEvery) await new Promise((r) => setImmediate(r)); }
    s.closeStdin();
    await ended;
    return performance.now() - t0;
  }
  const configs: [number, boolean, number][] = [[256 << 10, true, 4 << 20], [256 << 10, false, 4 << 20], [1 << 20, true, 4 << 20], [64 << 10, true, 4 << 20], [1 << 20, true, 16 << 20], [32 << 10, true, 1 << 20]];
  const res = new Map<string, number[]>();
  for (let rep = 0; rep < 5; rep++) for (const c of configs) { const k = c.join('/'); const ms = await run(...c); res.set(k, [...(res.get(k) ?? []), ms]); }
  for (const [k, v] of res) console.log(k, v.map((x) => x.toFixed(0)).join(' '), 'median', [...v].sort((a, b) => a - b)[2].toFixed(0));
  void sb;
  await ops.delete('Sandbox', NS, name);
})();
