// The MCP server as a client sees it: the official SDK client spawns the bundled dist/mcp.js over
// stdio against the real local cluster, claims from the demo gVisor pool, runs commands in gVisor,
// moves files, hibernates and resumes, and reads every failure as a result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DEFAULT_OUTPUT_CAP, TOOL_NAMES } from '../../src/core/agent/tools';
import { ensureCluster, kubectl, uniqueName } from './cluster';

const CONTEXT = 'agent-sandbox-local';
const LIMITED = 'agent-sandbox-limited';

interface Answer {
  isError: boolean;
  text: string;
  data?: unknown;
}

async function connect(args: string[], kubeconfig: string): Promise<{ client: Client; stderr: () => string; stderrMatching: (re: RegExp) => Promise<string> }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['dist/mcp.js', ...args],
    env: { PATH: process.env['PATH'] ?? '', KUBECONFIG: kubeconfig },
    stderr: 'pipe',
  });
  let err = '';
  const waiters = new Set<() => void>();
  transport.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
    for (const w of waiters) w();
  });
  // The server logs a call when it has finished with it, which can be after the client's answer.
  const stderrMatching = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!re.test(err)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(err);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the server's log never matched ${re}:\n${err}`));
      }, 30_000);
      waiters.add(check);
      check();
    });
  const client = new Client({ name: 'agent-sandbox-integration-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err, stderrMatching };
}

async function call(client: Client, name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<Answer> {
  const r = (await client.callTool({ name, arguments: args }, undefined, { ...(signal ? { signal } : {}), timeout: 600_000 })) as {
    isError?: boolean | undefined;
    content: { type: string; text: string }[];
  };
  const text = r.content.map((c) => c.text).join('');
  const nl = text.indexOf('\n{') >= 0 ? text.indexOf('\n{') : text.indexOf('\n[');
  let data: unknown;
  if (!r.isError && nl >= 0) data = JSON.parse(text.slice(nl + 1));
  return { isError: r.isError === true, text, data };
}

function ok(a: Answer): Answer {
  assert.equal(a.isError, false, a.text);
  return a;
}

describe('MCP server over stdio against the local cluster', { timeout: 20 * 60_000 }, () => {
  let kubeconfig = '';
  let NS = '';
  let admin: Client;
  let adminErrMatching: (re: RegExp) => Promise<string>;
  let limited: Client | undefined;
  const claim = uniqueName('mcp');
  let sandbox = '';
  const limitedClaim = uniqueName('mcp-limited');

  before(async () => {
    const env = ensureCluster();
    kubeconfig = env.kubeconfig;
    NS = env.demoNamespace;
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
    ({ client: admin, stderrMatching: adminErrMatching } = await connect(
      ['--context', CONTEXT, '--namespace', NS, '--allow-all', '--allow-delete'],
      kubeconfig,
    ));
  });

  after(async () => {
    for (const c of [claim, limitedClaim]) {
      try {
        kubectl(['-n', NS, 'delete', 'sandboxclaim', c, '--ignore-not-found', '--wait=false']);
      } catch {
        // best effort
      }
    }
    await admin?.close();
    await limited?.close();
  });

  it('lists the same tools as the language-model tools', async () => {
    const { tools } = await admin.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      [...TOOL_NAMES],
    );
    const run = tools.find((t) => t.name === 'runCommand');
    assert.deepEqual((run?.inputSchema as { required?: string[] }).required, ['sandbox']);
    assert.equal(tools.find((t) => t.name === 'deleteClaim')?.annotations?.destructiveHint, true);
  });

  it('lists the demo warm pool with its gVisor runtime', async () => {
    const a = ok(await call(admin, 'listWarmPools', {}));
    const pool = (a.data as { name: string; runtime: string }[]).find((p) => p.name === 'python-pool');
    assert.equal(pool?.runtime, 'gVisor');
  });

  it('claims a sandbox from the gVisor pool, labelled as agent-claimed', async () => {
    const a = ok(await call(admin, 'claimSandbox', { pool: 'python-pool', name: claim }));
    const d = a.data as { claim: string; sandbox: string; launch: string; msToReady: number; runtime: string };
    assert.equal(d.claim, claim);
    assert.equal(d.runtime, 'gVisor');
    assert.ok(['warm', 'cold'].includes(d.launch), d.launch);
    assert.ok(d.msToReady >= 0);
    sandbox = d.sandbox;
    assert.equal(kubectl(['-n', NS, 'get', 'sandboxclaim', claim, '-o', 'jsonpath={.metadata.labels.agents\\.x-k8s\\.io/created-by}']), 'vscode-agent');
    const list = ok(await call(admin, 'listSandboxes', {}));
    const row = (list.data as { name: string; claim?: string; agentClaimed: boolean; state: string }[]).find((r) => r.name === sandbox);
    assert.equal(row?.claim, claim);
    assert.equal(row?.agentClaimed, true);
    assert.equal(row?.state, 'Running');
  });

  it('runs uname -r in gVisor (its 4.4.0 kernel) and returns exit code 3 of exit 3', async () => {
    const u = ok(await call(admin, 'runCommand', { sandbox: claim, argv: ['uname', '-r'] }));
    assert.equal((u.data as { stdout: string }).stdout.trim(), '4.4.0');
    const e = ok(await call(admin, 'runCommand', { sandbox, shell: 'echo to-stderr >&2; exit 3' }));
    const d = e.data as { exitCode: number; stdout: string; stderr: string };
    assert.equal(d.exitCode, 3);
    assert.equal(d.stderr, 'to-stderr\n', 'the wrapper PID line is not part of stderr');
  });

  it('passes cwd and env as data, and caps huge output with the omitted byte count', async () => {
    const a = ok(await call(admin, 'runCommand', { sandbox, argv: ['sh', '-c', 'printf "%s|%s" "$V" "$(pwd)"'], cwd: '/', env: { V: '$(id) "x" y' } }));
    assert.equal((a.data as { stdout: string }).stdout, '$(id) "x" y|/');
    const big = ok(await call(admin, 'runCommand', { sandbox, shell: "head -c 300000 /dev/zero | tr '\\0' a; echo END" }));
    const out = (big.data as { stdout: string }).stdout;
    assert.match(out, new RegExp(`\\[truncated, ${300_004 - DEFAULT_OUTPUT_CAP} bytes omitted\\]`));
    assert.ok(out.endsWith('END\n'));
  });

  it('kills the remote process group on timeout and on cancellation', async () => {
    const t = await call(admin, 'runCommand', {
      sandbox,
      shell: 'echo $$ > agent-timeout.pid; sleep 300 & echo $! > agent-timeout.child; wait',
      timeoutSeconds: 2,
    });
    assert.equal(t.isError, true);
    assert.match(t.text, /^Error \(timeout\): Timed out after 2 s; the process group was killed/);
    // A killed process whose parent died stays a zombie (state Z) when PID 1 does not reap: dead too.
    const check = (f: string) =>
      call(admin, 'runCommand', {
        sandbox,
        shell: `for p in $(cat ${f}.pid) $(cat ${f}.child); do s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null); if [ -n "$s" ] && [ "$s" != Z ]; then echo "alive $p $s"; else echo dead; fi; done`,
      });
    assert.equal((ok(await check('agent-timeout')).data as { stdout: string }).stdout, 'dead\ndead\n');

    const abort = new AbortController();
    const pending = call(
      admin,
      'runCommand',
      { sandbox, shell: 'echo $$ > agent-cancel.pid; sleep 300 & echo $! > agent-cancel.child; wait' },
      abort.signal,
    ).catch((e: Error) => e);
    // Cancel once the command demonstrably runs (its pid file exists).
    for (let i = 0; i < 100; i++) {
      const r = ok(await call(admin, 'runCommand', { sandbox, shell: 'test -s agent-cancel.child && echo yes || echo no' }));
      if ((r.data as { stdout: string }).stdout === 'yes\n') break;
    }
    abort.abort();
    assert.ok((await pending) instanceof Error, 'the client call ends when cancelled');
    // The server kills the group after the cancel notification; wait for that, not for a sleep.
    let states = '';
    for (let i = 0; i < 100 && states !== 'dead\ndead\n'; i++) states = (ok(await check('agent-cancel')).data as { stdout: string }).stdout;
    assert.equal(states, 'dead\ndead\n');
    assert.match(await adminErrMatching(/agent tool runCommand \S+: cancelled in \d+ ms/), /cancelled in \d+ ms/);
  });

  it('writes and reads back a file, lists its directory, and refuses ".." paths', async () => {
    ok(await call(admin, 'writeFile', { sandbox, path: 'workspace/agent/hello.txt', content: 'hello from the agent\n' }));
    const r = ok(await call(admin, 'readFile', { sandbox, path: 'workspace/agent/hello.txt' }));
    assert.match(r.text, /\(21 bytes\):\nhello from the agent\n$/);
    const l = ok(await call(admin, 'listDirectory', { sandbox, path: 'workspace/agent' }));
    assert.deepEqual(l.data, [{ name: 'hello.txt', type: 'file', size: 21 }]);
    const bad = await call(admin, 'readFile', { sandbox, path: 'workspace/../../etc/passwd' });
    assert.match(bad.text, /^Error \(invalid-input\): .*"\.\." segments/);
    const missing = await call(admin, 'readFile', { sandbox, path: '/no/such/file' });
    assert.match(missing.text, /^Error \(not-found\)/);
  });

  it('hibernates; a hibernated sandbox says to call resumeSandbox; after resume the file is still on the PVC', async () => {
    ok(await call(admin, 'hibernateSandbox', { sandbox }));
    const run = await call(admin, 'runCommand', { sandbox, argv: ['true'] });
    assert.equal(run.isError, true);
    assert.match(run.text, /^Error \(hibernated\): .*\nCall resumeSandbox with sandbox "[^"]+" first\./s);
    const read = await call(admin, 'readFile', { sandbox, path: 'workspace/agent/hello.txt' });
    assert.match(read.text, /^Error \(hibernated\)/);
    ok(await call(admin, 'resumeSandbox', { sandbox: claim }));
    const back = ok(await call(admin, 'readFile', { sandbox, path: 'workspace/agent/hello.txt' }));
    assert.match(back.text, /hello from the agent/);
  });

  it('explains a namespace outside the session, a missing sandbox, an RBAC 403 and a capability not granted', async () => {
    const ns = await call(admin, 'listSandboxes', { namespace: 'kube-system' });
    assert.match(ns.text, new RegExp(`^Error \\(forbidden\\): Namespace kube-system is outside the namespaces this session may use \\(${NS}\\)`));
    const none = await call(admin, 'runCommand', { sandbox: 'no-such-sandbox', argv: ['true'] });
    assert.match(none.text, /^Error \(not-found\): No sandbox or claim named no-such-sandbox.*\nCall listSandboxes/s);

    ({ client: limited } = await connect(['--context', LIMITED, '--namespace', NS, '--allow-claim'], kubeconfig));
    const refused = await call(limited, 'runCommand', { sandbox, argv: ['true'] });
    assert.match(refused.text, /^Error \(refused\): This MCP server was not allowed to run commands\. Ask the user to restart it with --allow-run\./);
    // The limited user may create claims but not list or watch them: waiting for Ready is forbidden.
    const rbac = await call(limited, 'claimSandbox', { pool: 'python-pool', name: limitedClaim });
    assert.match(
      rbac.text,
      /^Error \(forbidden\): Claim \S+ was created, but its sandbox did not become Ready: .*forbidden.*\nThe Kubernetes user of this context lacks the RBAC permission/s,
    );
    const listed = ok(await call(limited, 'listSandboxes', {}));
    assert.match(listed.text, /Claims could not be listed \(RBAC forbids listing SandboxClaims\)/);
  });

  it('explains an unreachable cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-kc-'));
    const broken = join(dir, 'kubeconfig');
    writeFileSync(broken, readFileSync(kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/g, 'server: https://127.0.0.1:1'));
    const { client } = await connect(['--context', CONTEXT], broken);
    try {
      const tools = await client.listTools();
      assert.equal(tools.tools.length, TOOL_NAMES.length, 'tools are listed even while the cluster is down');
      const a = await call(client, 'listSandboxes', {});
      assert.match(a.text, /^Error \(unreachable\): Cannot reach the cluster at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    } finally {
      await client.close();
    }
  });

  it('deletes the claim (with --allow-delete)', async () => {
    ok(await call(admin, 'deleteClaim', { claim }));
    const gone = await call(admin, 'deleteClaim', { claim: 'no-such-claim' });
    assert.match(gone.text, /^Error \(not-found\)/);
  });
});
