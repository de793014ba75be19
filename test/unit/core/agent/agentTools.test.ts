// Pure logic of the agent tools: input validation for every tool, output capping, consent rules,
// the claim body, error results, MCP flags, and package.json's languageModelTools in sync.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isUtf8Text } from '../../../../src/core/agent/sandboxTools';
import { describeCall, ToolCallLog } from '../../../../src/core/agent/callLog';
import { CappedOutput } from '../../../../src/core/agent/capped';
import { agentClaimBody, isAgentClaim, LABEL_CREATED_BY } from '../../../../src/core/agent/claimBody';
import { ConsentPolicy, decide } from '../../../../src/core/agent/consent';
import { PID_MARKER, PidLineSplitter, wrapperArgv } from '../../../../src/core/agent/remoteCommand';
import { renderResult, resultFromError } from '../../../../src/core/agent/result';
import { DEFAULT_TIMEOUT_SECONDS, lmToolName, MAX_TIMEOUT_SECONDS, TOOL_NAMES, TOOLS, ToolName } from '../../../../src/core/agent/tools';
import { validateInput } from '../../../../src/core/agent/validate';
import { SandboxFileError } from '../../../../src/core/files/errors';
import { KubeError } from '../../../../src/core/k8s/errors';
import type { ApiModel } from '../../../../src/core/k8s/resources';
import { parseArgs } from '../../../../src/mcp/args';

const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'));

function invalid(tool: ToolName, input: unknown, message: RegExp): void {
  const r = validateInput(tool, input);
  assert.equal(r.ok, false, `${tool} accepted ${JSON.stringify(input)}`);
  if (!r.ok) assert.match(r.message, message);
}

function valid<N extends ToolName>(tool: N, input: unknown) {
  const r = validateInput(tool, input);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.value;
}

describe('agent tool definitions', () => {
  it('package.json declares exactly these language-model tools, with the same schemas and descriptions', () => {
    const declared = pkg.contributes.languageModelTools as { name: string; modelDescription: string; inputSchema: unknown; displayName: string }[];
    assert.deepEqual(
      declared.map((t) => t.name),
      TOOLS.map((t) => lmToolName(t.name)),
    );
    for (const t of TOOLS) {
      const d = declared.find((x) => x.name === lmToolName(t.name));
      assert.deepEqual(d?.inputSchema, t.inputSchema, t.name);
      assert.equal(d?.modelDescription, t.modelDescription, t.name);
      assert.equal(d?.displayName, t.displayName, t.name);
    }
  });
  it('names are prefixed agentSandbox_, never copilot_ or vscode_, and every tool has a schema listing its fields', () => {
    for (const t of TOOLS) {
      assert.match(lmToolName(t.name), /^agentSandbox_[a-zA-Z]+$/);
      assert.equal((t.inputSchema as { type: string }).type, 'object');
    }
    assert.deepEqual(
      TOOLS.map((t) => t.name),
      [...TOOL_NAMES],
    );
  });
  it('package.json contributes the MCP provider and the bin', () => {
    assert.deepEqual(
      pkg.contributes.mcpServerDefinitionProviders.map((p: { id: string }) => p.id),
      ['agentSandbox.mcp'],
    );
    assert.equal(pkg.bin['agent-sandbox-mcp'], './dist/mcp.js');
  });
});

describe('agent tool input validation', () => {
  it('refuses unknown fields and non-objects for every tool', () => {
    for (const t of TOOL_NAMES) {
      invalid(t, { bogus: 1, sandbox: 'a', claim: 'a', pool: 'a', path: '/a', content: '', port: 1, argv: ['x'] }, /unknown field.*bogus/);
      invalid(t, [1], /must be a JSON object/);
      invalid(t, 'text', /must be a JSON object/);
    }
  });
  it('refuses bad names for every tool that takes a sandbox, claim, pool or namespace', () => {
    const base: Record<ToolName, Record<string, unknown>> = {
      listSandboxes: {},
      listWarmPools: {},
      claimSandbox: { pool: 'p' },
      runCommand: { sandbox: 's', argv: ['true'] },
      readFile: { sandbox: 's', path: '/a' },
      writeFile: { sandbox: 's', path: '/a', content: 'x' },
      listDirectory: { sandbox: 's' },
      hibernateSandbox: { sandbox: 's' },
      resumeSandbox: { sandbox: 's' },
      deleteClaim: { claim: 'c' },
      previewPort: { sandbox: 's', port: 8080 },
    };
    for (const t of TOOL_NAMES) {
      valid(t, base[t]);
      invalid(t, { ...base[t], namespace: 'Bad_NS' }, /namespace "Bad_NS" is not a valid Kubernetes name/);
      for (const key of ['sandbox', 'claim', 'pool'].filter((k) => k in base[t])) {
        invalid(t, { ...base[t], [key]: '../etc' }, new RegExp(`${key} "\\.\\./etc" is not a valid Kubernetes name`));
        invalid(t, { ...base[t], [key]: 'x'.repeat(64) }, /at most 63/);
        invalid(t, { ...base[t], [key]: 7 }, new RegExp(`${key} must be a string`));
        const { [key]: _omit, ...rest } = base[t];
        invalid(t, rest, new RegExp(`${key} is required`));
      }
    }
  });
  it('runCommand: exactly one of argv and shell; timeouts default, cap and refuse negatives', () => {
    invalid('runCommand', { sandbox: 's' }, /exactly one of argv/);
    invalid('runCommand', { sandbox: 's', argv: ['a'], shell: 'a' }, /exactly one of argv/);
    invalid('runCommand', { sandbox: 's', argv: [] }, /non-empty array/);
    invalid('runCommand', { sandbox: 's', argv: ['ls', 3] }, /non-empty array of strings/);
    invalid('runCommand', { sandbox: 's', argv: [''] }, /argv\[0\]/);
    invalid('runCommand', { sandbox: 's', argv: ['a\0b'] }, /NUL/);
    invalid('runCommand', { sandbox: 's', shell: '   ' }, /non-empty string/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], timeoutSeconds: -1 }, /between 1 and/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], timeoutSeconds: 0 }, /between 1 and/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], timeoutSeconds: MAX_TIMEOUT_SECONDS + 1 }, /between 1 and 900/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], timeoutSeconds: 1.5 }, /whole number/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], cwd: 'rel' }, /absolute/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], cwd: '/a/../b' }, /\.\./);
    invalid('runCommand', { sandbox: 's', argv: ['x'], env: { '1A': 'x' } }, /not a valid variable name/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], env: { A: 1 } }, /env\.A must be a string/);
    invalid('runCommand', { sandbox: 's', argv: ['x'], env: ['A=1'] }, /must be an object/);
    const v = valid('runCommand', { sandbox: 's', shell: 'echo hi | wc -c' });
    assert.equal(v.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
    assert.deepEqual(v.command, { shell: 'echo hi | wc -c' });
    assert.deepEqual(v.env, {});
    assert.equal(valid('runCommand', { sandbox: 's', argv: ['x'], timeoutSeconds: MAX_TIMEOUT_SECONDS }).timeoutSeconds, MAX_TIMEOUT_SECONDS);
  });
  it('file tools refuse ".." segments, NUL and empty paths; write checks base64 and size', () => {
    for (const p of ['../etc/passwd', '/work/../etc', 'a/..', '..']) {
      invalid('readFile', { sandbox: 's', path: p }, /must not contain "\.\." segments/);
      invalid('writeFile', { sandbox: 's', path: p, content: 'x' }, /\.\./);
      invalid('listDirectory', { sandbox: 's', path: p }, /\.\./);
    }
    valid('readFile', { sandbox: 's', path: '/work/a..b/..c' });
    invalid('readFile', { sandbox: 's', path: '' }, /non-empty/);
    invalid('readFile', { sandbox: 's', path: '/a\0' }, /NUL/);
    invalid('readFile', { sandbox: 's', path: '/a', maxBytes: 0 }, /between 1/);
    invalid('readFile', { sandbox: 's', path: '/a', encoding: 'latin1' }, /encoding/);
    invalid('writeFile', { sandbox: 's', path: '/a', content: '!!notbase64', encoding: 'base64' }, /not valid base64/);
    invalid('writeFile', { sandbox: 's', path: '/a', content: 'x'.repeat(8 * 1024 * 1024 + 1) }, /at most 8388608 bytes/);
    invalid('writeFile', { sandbox: 's', path: '/a' }, /content must be a string/);
    assert.deepEqual([...valid('writeFile', { sandbox: 's', path: '/a', content: 'aGk=', encoding: 'base64' }).content], [...Buffer.from('hi')]);
  });
  it('claimSandbox checks TTL, env and labels (agents.x-k8s.io keys are reserved)', () => {
    invalid('claimSandbox', { pool: 'p', ttlSeconds: 10 }, /between 60/);
    invalid('claimSandbox', { pool: 'p', labels: { 'agents.x-k8s.io/created-by': 'me' } }, /reserved/);
    invalid('claimSandbox', { pool: 'p', labels: { 'bad key!': 'x' } }, /not a valid Kubernetes label key/);
    invalid('claimSandbox', { pool: 'p', labels: { team: 'has space' } }, /not a valid label value/);
    invalid('claimSandbox', { pool: 'p', env: { 'A-B': 'x' } }, /not a valid variable name/);
    const v = valid('claimSandbox', { pool: 'p', ttlSeconds: 3600, labels: { 'example.com/team': 'ml' }, env: { MODE: 'test' } });
    assert.equal(v.ttlSeconds, 3600);
  });
  it('previewPort needs a port in range', () => {
    invalid('previewPort', { sandbox: 's' }, /port is required/);
    invalid('previewPort', { sandbox: 's', port: 70000 }, /between 1 and 65535/);
  });
});

describe('agent tool output capping', () => {
  it('keeps small outputs whole', () => {
    const c = new CappedOutput(100);
    c.push(Buffer.from('hello '));
    c.push(Buffer.from('world'));
    assert.equal(c.text(), 'hello world');
    assert.equal(c.omitted, 0);
  });
  it('keeps head and tail of a huge output and says how many bytes were omitted', () => {
    const c = new CappedOutput(1000);
    c.push(Buffer.from('START'));
    for (let i = 0; i < 1000; i++) c.push(Buffer.alloc(1000, 0x61));
    c.push(Buffer.from('END'));
    assert.equal(c.total, 5 + 1_000_000 + 3);
    assert.equal(c.omitted, c.total - 1000);
    const text = c.text();
    assert.ok(text.startsWith('START'));
    assert.ok(text.endsWith('END'));
    assert.match(text, new RegExp(`\\[truncated, ${c.total - 1000} bytes omitted\\]`));
    assert.equal(Buffer.byteLength(text) - Buffer.byteLength(`\n[truncated, ${c.omitted} bytes omitted]\n`), 1000);
  });
  it('a single chunk larger than the cap is cut the same way', () => {
    const c = new CappedOutput(10);
    c.push(Buffer.from('0123456789abcdefghij'));
    assert.equal(c.text(), '01234\n[truncated, 10 bytes omitted]\nfghij');
  });
  it('text detection refuses NUL and invalid UTF-8', () => {
    assert.equal(isUtf8Text(Buffer.from('héllo')), true);
    assert.equal(isUtf8Text(Buffer.from([0x61, 0, 0x62])), false);
    assert.equal(isUtf8Text(Buffer.from([0xff, 0xfe])), false);
  });
});

describe('agent tool consent rules', () => {
  const interactive = (auto = false, runc = false): ConsentPolicy => ({ mode: 'interactive', autoApproveIsolated: auto, allowUnisolatedRun: runc });
  it('reads never ask', () => {
    assert.deepEqual(decide('read', false, interactive()), { action: 'run' });
    assert.deepEqual(decide('read', undefined, { mode: 'flags', allowed: new Set(), allowUnisolatedRun: false }), { action: 'run' });
  });
  it('every change asks by default', () => {
    for (const cap of ['run', 'write', 'claim', 'lifecycle', 'delete', 'preview'] as const)
      assert.deepEqual(decide(cap, true, interactive()), { action: 'confirm' }, cap);
  });
  it('auto-approve covers only run and write on isolated runtimes, never delete/claim/lifecycle', () => {
    assert.deepEqual(decide('run', true, interactive(true)), { action: 'run' });
    assert.deepEqual(decide('write', true, interactive(true)), { action: 'run' });
    assert.deepEqual(decide('write', false, interactive(true)), { action: 'confirm' });
    assert.deepEqual(decide('write', undefined, interactive(true)), { action: 'confirm' });
    for (const cap of ['delete', 'claim', 'lifecycle', 'preview'] as const) assert.deepEqual(decide(cap, true, interactive(true)), { action: 'confirm' }, cap);
  });
  it('runCommand on runc is refused with the reason unless the setting allows it (then it still asks)', () => {
    const d = decide('run', false, interactive(true));
    assert.equal(d.action, 'refuse');
    if (d.action === 'refuse') assert.match(d.reason, /runc.*gVisor or Kata.*agentSandbox\.agent\.allowUnisolatedRun/s);
    assert.deepEqual(decide('run', false, interactive(true, true)), { action: 'confirm' });
  });
  it('MCP flags: only granted capabilities run; the refusal names the flag', () => {
    const policy: ConsentPolicy = { mode: 'flags', allowed: new Set(['run']), allowUnisolatedRun: false };
    assert.deepEqual(decide('run', true, policy), { action: 'run' });
    const w = decide('write', true, policy);
    assert.ok(w.action === 'refuse' && /--allow-write/.test(w.reason));
    const r = decide('run', false, policy);
    assert.ok(r.action === 'refuse' && /--allow-unisolated-run/.test(r.reason));
  });
});

describe('MCP server arguments', () => {
  it('parses context, namespaces and allow flags; --allow-all never includes delete or runc', () => {
    const a = parseArgs(['--context', 'c', '--namespace', 'a', '-n', 'b,c', '--allow-all']);
    assert.equal(a.context, 'c');
    assert.deepEqual(a.namespaces, ['a', 'b', 'c']);
    assert.deepEqual([...a.allowed].sort(), ['claim', 'lifecycle', 'preview', 'run', 'write']);
    assert.equal(a.allowUnisolatedRun, false);
    const b = parseArgs(['--allow-delete', '--allow-unisolated-run', '--kubeconfig=/k']);
    assert.deepEqual([...b.allowed], ['delete']);
    assert.equal(b.allowUnisolatedRun, true);
    assert.equal(b.kubeconfig, '/k');
  });
  it('refuses unknown flags, missing values and contradictions', () => {
    assert.throws(() => parseArgs(['--allow-everything']), /unknown argument --allow-everything/);
    assert.throws(() => parseArgs(['--context']), /--context needs a value/);
    assert.throws(() => parseArgs(['-n', 'a', '--all-namespaces']), /either --namespace or --all-namespaces/);
    assert.throws(() => parseArgs(['--ready-timeout', '-5']), /between 10 and 3600/);
  });
});

describe('agent claim body', () => {
  const api: ApiModel = { core: 'v1beta1', extensions: 'v1beta1' };
  const pool = { metadata: { name: 'python-pool', namespace: 'demo' }, spec: { sandboxTemplateRef: { name: 't' } } };
  it('labels the claim created-by vscode-agent, sets TTL as shutdownTime with Delete, env as a list', () => {
    const now = new Date('2026-12-01T10:00:00.123Z');
    const body = agentClaimBody(api, { namespace: 'demo', name: 'c1', pool, ttlSeconds: 3600, env: { A: 'x' }, labels: { team: 'ml' }, now });
    assert.equal(body.metadata.labels?.[LABEL_CREATED_BY], 'vscode-agent');
    assert.equal(body.metadata.labels?.['team'], 'ml');
    assert.deepEqual(body.spec, {
      warmPoolRef: { name: 'python-pool' },
      lifecycle: { shutdownTime: '2026-12-01T11:00:00Z', shutdownPolicy: 'Delete' },
      env: [{ name: 'A', value: 'x' }],
    });
    assert.equal(isAgentClaim(body), true);
    assert.equal(isAgentClaim({ metadata: { name: 'x', labels: { [LABEL_CREATED_BY]: 'vscode' } } }), false);
  });
  it('v1alpha1 names the template and pool instead', () => {
    const body = agentClaimBody({ core: 'v1alpha1', extensions: 'v1alpha1' }, { namespace: 'demo', name: 'c1', pool, now: new Date() });
    assert.deepEqual(body.spec, { sandboxTemplateRef: { name: 't' }, warmpool: 'python-pool' });
  });
});

describe('agent tool errors are readable results', () => {
  it('maps RBAC, network, timeout, not found and hibernated', () => {
    const forbidden = resultFromError(new KubeError('list claims: forbidden', 403, 'Forbidden'));
    assert.ok(!forbidden.ok && forbidden.code === 'forbidden' && /RBAC/.test(forbidden.hint ?? ''));
    const down = resultFromError(new KubeError('Cannot reach the cluster at https://x (ECONNREFUSED)', undefined, 'ECONNREFUSED', 'network'));
    assert.ok(!down.ok && down.code === 'unreachable');
    const slow = resultFromError(new KubeError('Timed out', undefined, 'Timeout', 'timeout'));
    assert.ok(!slow.ok && slow.code === 'timeout');
    const gone = resultFromError(new KubeError('nope', 404, 'NotFound'));
    assert.ok(!gone.ok && gone.code === 'not-found');
    const asleep = resultFromError(new SandboxFileError('Unavailable', 'Sandbox sb is hibernated; resume it', undefined, true), 'sb');
    assert.ok(!asleep.ok && asleep.code === 'hibernated');
    assert.match(renderResult(asleep), /^Error \(hibernated\): .*\nCall resumeSandbox with sandbox "sb" first\.$/s);
  });
  it('renders data as JSON after the summary', () => {
    assert.equal(renderResult({ ok: true, summary: 'Exit code 3.', data: { exitCode: 3 } }), 'Exit code 3.\n{\n  "exitCode": 3\n}');
  });
});

describe('agent tool call log', () => {
  it('describes a call without contents and keeps the newest N', () => {
    const log = new ToolCallLog(2);
    for (let i = 0; i < 3; i++)
      log.add({ at: i, tool: 'runCommand', context: 'c', namespace: 'ns', sandbox: `sb${i}`, durationMs: 5, outcome: 'ok', exitCode: i });
    assert.deepEqual(
      log.recent().map((c) => c.sandbox),
      ['sb2', 'sb1'],
    );
    assert.equal(describeCall(log.recent()[0]), 'agent tool runCommand ns/sb2: ok exit 2 in 5 ms');
  });
});

describe('runCommand wrapper', () => {
  it('reports the PID first on stderr, then runs argv with cwd and env given as data, returning its exit code', () => {
    const argv = wrapperArgv({
      argv: ['sh', '-c', 'printf "%s|%s" "$FOO" "$(pwd)"; echo oops >&2; exit 3'],
      cwd: '/tmp',
      env: { FOO: 'a b; $(rm -rf /) "q"' },
    });
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    assert.equal(r.status, 3);
    assert.equal(r.stdout, 'a b; $(rm -rf /) "q"|/tmp');
    assert.match(r.stderr, new RegExp(`^${PID_MARKER}\\d+\\noops\\n$`));
  });
  it('a missing cwd fails with 126 before anything runs; a missing program with 127', () => {
    const a = wrapperArgv({ argv: ['true'], cwd: '/does/not/exist', env: {} });
    assert.equal(spawnSync(a[0], a.slice(1)).status, 126);
    const b = wrapperArgv({ argv: ['no-such-program-xyz'], env: {} });
    assert.equal(spawnSync(b[0], b.slice(1)).status, 127);
  });
  it('the PID line is stripped from stderr even when split across chunks', () => {
    const out: string[] = [];
    let pid: number | undefined;
    const s = new PidLineSplitter(
      (p) => (pid = p),
      (b) => out.push(b.toString()),
    );
    s.push(Buffer.from('agent-sandbox-p'));
    s.push(Buffer.from('id:4242\nerr'));
    s.push(Buffer.from('or\n'));
    assert.equal(pid, 4242);
    assert.equal(out.join(''), 'error\n');
  });
  it('stderr without the marker (the wrapper failed early) is passed through whole', () => {
    const out: string[] = [];
    const s = new PidLineSplitter(
      () => assert.fail('no pid expected'),
      (b) => out.push(b.toString()),
    );
    s.push(Buffer.from('sh: cd: /x: No such file\n'));
    s.flush();
    assert.equal(out.join(''), 'sh: cd: /x: No such file\n');
  });
});
