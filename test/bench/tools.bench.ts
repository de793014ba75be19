// bench:tools — the agent tools side by side with kubectl on the same gVisor sandbox of the local
// cluster: a runCommand round trip (`echo`) vs `kubectl exec … echo`, and a 1 MB readFile vs
// `kubectl cp pod:path local`. Two paths for the tools: in process (what the VS Code
// language-model tools run) and through the bundled MCP server over stdio with the official SDK
// client. Prints medians and the ratio to kubectl (below 1.00 = faster than kubectl).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AgentTools } from '../../src/core/agent/agentTools';
import { agentFileSystem, AgentBackend } from '../../src/core/agent/backend';
import { PreviewForwards } from '../../src/core/agent/previews';
import type { ToolResult } from '../../src/core/agent/result';
import { silentLogger } from '../../src/core/logging/logger';
import { defaultContainer } from '../../src/core/files/locator';
import { podName } from '../../src/core/model/sandbox';
import { ensureCluster, opsFor, uniqueName } from '../integration/cluster';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const SIZE = 1024 * 1024;
const CONTEXT = 'agent-sandbox-local';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function kubectlTimed(args: string[]): Promise<number> {
  const { kubeconfig, env } = ensureCluster();
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(env['KUBECTL'] ?? 'kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, maxBuffer: 64 << 20 }, (err, _out, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(performance.now() - t0),
    ),
  );
}

async function timed<T>(fn: () => Promise<T>, check: (v: T) => void): Promise<number> {
  const t0 = performance.now();
  const v = await fn();
  const ms = performance.now() - t0;
  check(v);
  return ms;
}

function must(r: ToolResult): ToolResult & { ok: true } {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

async function main(): Promise<void> {
  const { demoNamespace: NS, kubeconfig } = ensureCluster();
  if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  const { client, ops, api } = await opsFor(CONTEXT);
  const backend: AgentBackend = {
    context: CONTEXT,
    client,
    api,
    ops,
    fs: agentFileSystem(client, ops, silentLogger),
    namespaces: [NS],
    defaultNamespace: NS,
    policy: { mode: 'flags', allowed: new Set(['run', 'write', 'claim', 'delete']), allowUnisolatedRun: false },
    previews: new PreviewForwards(silentLogger),
    readyTimeoutMs: 180_000,
    hibernateTimeoutMs: 180_000,
    log: silentLogger,
  };
  const tools = new AgentTools(async () => backend);
  const claim = uniqueName('bench-tools');
  const local = mkdtempSync(join(tmpdir(), 'bench-tools-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['dist/mcp.js', '--context', CONTEXT, '--namespace', NS, '--allow-run'],
    env: { PATH: process.env['PATH'] ?? '', KUBECONFIG: kubeconfig },
    stderr: 'ignore',
  });
  const mcp = new Client({ name: 'bench-tools', version: '1.0.0' });
  try {
    const claimed = must(await tools.invoke('claimSandbox', { pool: 'python-pool', name: claim }));
    const sandbox = (claimed.data as { sandbox: string }).sandbox;
    const sb = await ops.get('Sandbox', NS, sandbox);
    const pod = podName(sb) as string;
    const container = defaultContainer(sb) as string;
    const text = `${'a'.repeat(1023)}\n`.repeat(SIZE / 1024);
    must(await tools.invoke('writeFile', { sandbox, path: 'bench-1mb.txt', content: text }));
    const remote = `${await backend.fs.workingDirectory({ context: CONTEXT, namespace: NS, sandbox, container })}/bench-1mb.txt`;
    await mcp.connect(transport);
    const mcpCall = async (name: string, args: Record<string, unknown>) => {
      const r = (await mcp.callTool({ name, arguments: args })) as { isError?: boolean; content: { text: string }[] };
      if (r.isError) throw new Error(r.content[0]?.text);
      return r.content[0]?.text ?? '';
    };
    const echoOk = (s: string) => {
      if (!s.includes('"stdout": "bench\\n"')) throw new Error(`unexpected echo result: ${s.slice(0, 200)}`);
    };
    const readOk = (s: string) => {
      if (!s.endsWith(text.slice(-2048)) || s.length < SIZE) throw new Error('readFile returned other bytes');
    };
    const render = (r: ToolResult) => (r.ok ? `${r.summary}\n${JSON.stringify(r.data ?? '', null, 2)}` : r.message);
    // Warm every path once (TLS sessions, the locator's answer, kubectl's discovery cache, the MCP backend).
    await tools.invoke('runCommand', { sandbox, argv: ['echo', 'bench'] });
    await mcpCall('runCommand', { sandbox, argv: ['echo', 'bench'] });
    await kubectlTimed(['exec', '-n', NS, pod, '-c', container, '--', 'echo', 'bench']);
    const rows = {
      echo: { lm: [] as number[], mcp: [] as number[], kubectl: [] as number[] },
      read: { lm: [] as number[], mcp: [] as number[], kubectl: [] as number[] },
    };
    for (let i = 0; i < RUNS; i++) {
      rows.echo.lm.push(
        await timed(
          () => tools.invoke('runCommand', { sandbox, argv: ['echo', 'bench'] }),
          (r) => echoOk(render(r)),
        ),
      );
      rows.echo.mcp.push(await timed(() => mcpCall('runCommand', { sandbox, argv: ['echo', 'bench'] }), echoOk));
      rows.echo.kubectl.push(await kubectlTimed(['exec', '-n', NS, pod, '-c', container, '--', 'echo', 'bench']));
      rows.read.lm.push(
        await timed(
          () => tools.invoke('readFile', { sandbox, path: remote }),
          (r) => readOk(must(r).summary),
        ),
      );
      rows.read.mcp.push(await timed(() => mcpCall('readFile', { sandbox, path: remote }), readOk));
      const out = join(local, `out-${i}.txt`);
      rows.read.kubectl.push(await kubectlTimed(['cp', '-c', container, `${NS}/${pod}:${remote}`, out]));
      if (readFileSync(out, 'utf8') !== text) throw new Error('kubectl cp read other bytes');
    }
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\nbench:tools — median of ${RUNS} runs each, same gVisor sandbox (${sandbox}) for every column\n`);
    console.log(
      `${pad('operation', 24)} ${pad('LM tools', 10)} ${pad('MCP stdio', 10)} ${pad('kubectl', 10)} ${pad('ratio LM', 9)} ${pad('ratio MCP', 9)}  kubectl command`,
    );
    let slower = 0;
    for (const [label, r, how] of [
      ['runCommand echo', rows.echo, 'kubectl exec -- echo bench'],
      ['readFile 1 MB', rows.read, 'kubectl cp pod:path local'],
    ] as const) {
      const k = median(r.kubectl);
      const lm = median(r.lm) / k;
      const m = median(r.mcp) / k;
      if (lm > 1 || m > 1) slower++;
      console.log(
        `${pad(label, 24)} ${pad(`${median(r.lm).toFixed(0)} ms`, 10)} ${pad(`${median(r.mcp).toFixed(0)} ms`, 10)} ${pad(`${k.toFixed(0)} ms`, 10)} ${pad(lm.toFixed(2), 9)} ${pad(m.toFixed(2), 9)}  ${how}${lm > 1 || m > 1 ? '   <-- slower than kubectl' : ''}`,
      );
    }
    console.log(slower ? `\n${slower} row(s) slower than kubectl` : '\nno row slower than kubectl');
    process.exitCode = slower ? 1 : 0;
  } finally {
    await mcp.close().catch(() => undefined);
    await ops.delete('SandboxClaim', NS, claim).catch(() => undefined);
    rmSync(local, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
