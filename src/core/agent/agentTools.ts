import { SandboxFileError } from '../files/errors';
import { defaultContainer } from '../files/locator';
import { runScript } from '../files/runner';
import { FileTarget, joinPath, normalizePath, parentPath } from '../files/uri';
import { KubeError } from '../k8s/errors';
import { collectionPath } from '../k8s/resources';
import { claimSandboxName, claimSource } from '../model/claim';
import type { KubeObject } from '../model/objects';
import { poolReplicas, poolTemplateName } from '../model/pool';
import { controllerOwner, isIsolated, launchType, podName, runtimeClassOf, runtimeName, sandboxState } from '../model/sandbox';
import { generateClaimName } from '../model/validation';
import type { AgentBackend } from './backend';
import { describeCall, ToolCall, ToolCallLog } from './callLog';
import { agentClaimBody, isAgentClaim } from './claimBody';
import { decide, Decision } from './consent';
import { runRemote, wrapperArgv } from './remoteCommand';
import { failure, resultFromError, ToolResult } from './result';
import { DEFAULT_OUTPUT_CAP, toolDef, ToolName } from './tools';
import { Inputs, validateInput } from './validate';

export interface InvokeOptions {
  signal?: AbortSignal;
}

/** What prepareInvocation shows: the message, and whether the person must confirm (or why it is refused). */
export interface Preparation {
  message: string;
  decision: Decision;
  /** For a confirmation dialog: what will happen, naming the sandbox and runtime. */
  detail?: string;
}

type Target = { namespace: string; sandbox: KubeObject; claim?: KubeObject };

const HEAD_SCRIPT = 'head -c "$2" -- "$1"';

/**
 * Runs agent tools against one context. Shared by the VS Code language-model tools and the MCP
 * server; every call is validated, scoped to the allowed namespaces, consent-checked and logged.
 */
export class AgentTools {
  constructor(
    private readonly backend: () => Promise<AgentBackend>,
    readonly calls = new ToolCallLog(),
  ) {}

  /** Looks the target up (for its runtime) and says what the call will do, without doing it. */
  async prepare(tool: ToolName, raw: unknown): Promise<Preparation> {
    const def = toolDef(tool);
    const v = validateInput(tool, raw);
    if (!def || !v.ok) return { message: `${def?.displayName ?? tool}: invalid input`, decision: { action: 'run' } };
    let b: AgentBackend;
    try {
      b = await this.backend();
    } catch {
      return { message: def.displayName, decision: { action: 'run' } };
    }
    const input = v.value as { sandbox?: string; claim?: string; namespace?: string; pool?: string };
    const ns = input.namespace ?? b.defaultNamespace;
    const what = input.sandbox ? `sandbox ${ns}/${input.sandbox}` : input.claim ? `claim ${ns}/${input.claim}` : input.pool ? `pool ${ns}/${input.pool}` : `namespace ${ns}`;
    let isolated: boolean | undefined;
    let runtime = '';
    if (input.sandbox) {
      const t = await this.findTarget(b, ns, input.sandbox).catch(() => undefined);
      if (t && 'sandbox' in t) {
        isolated = isIsolated(runtimeClassOf(t.sandbox));
        runtime = runtimeName(runtimeClassOf(t.sandbox));
      }
    }
    const decision = decide(def.capability, isolated, b.policy);
    return {
      message: `${def.displayName}: ${what}${runtime ? ` (${runtime})` : ''} in ${b.context}`,
      decision,
      detail: confirmationText(tool, v.value, what, runtime, b.context),
    };
  }

  /** Runs a tool. Never throws: every failure is a result the model can read. */
  async invoke(tool: ToolName, raw: unknown, o: InvokeOptions = {}): Promise<ToolResult> {
    const start = Date.now();
    const call: ToolCall = { at: start, tool, context: '', durationMs: 0, outcome: 'ok' };
    let result: ToolResult;
    let backend: AgentBackend | undefined;
    try {
      // Bad input is answered before the cluster is asked anything (it may be down).
      const v = validateInput(tool, raw);
      if (!v.ok) result = failure('invalid-input', v.message);
      else {
        backend = await this.backend();
        call.context = backend.context;
        result = await this.run(backend, tool, v.value, call, o);
      }
    } catch (err) {
      result = resultFromError(err, call.sandbox);
    }
    call.durationMs = Date.now() - start;
    call.outcome = result.ok ? 'ok' : result.code;
    if (result.ok && result.exitCode !== undefined) call.exitCode = result.exitCode;
    this.calls.add(call);
    backend?.log.info(describeCall(call));
    return result;
  }

  private async run(b: AgentBackend, tool: ToolName, value: Inputs[ToolName], call: ToolCall, o: InvokeOptions): Promise<ToolResult> {
    const v = { value };
    const def = toolDef(tool);
    if (!def) return failure('invalid-input', `Unknown tool ${tool}`);
    const input = v.value as { namespace?: string; sandbox?: string };
    const ns = input.namespace ?? b.defaultNamespace;
    call.namespace = ns;
    if (b.namespaces && !b.namespaces.includes(ns)) {
      return failure('forbidden', `Namespace ${ns} is outside the namespaces this session may use (${b.namespaces.join(', ')}).`, 'Use one of those namespaces, or ask the user to choose more namespaces.');
    }
    let target: Target | undefined;
    if (input.sandbox) {
      call.sandbox = input.sandbox;
      const found = await this.findTarget(b, ns, input.sandbox);
      if ('error' in found) return found.error;
      target = found;
      call.sandbox = found.sandbox.metadata.name;
    }
    const decision = decide(def.capability, target ? isIsolated(runtimeClassOf(target.sandbox)) : undefined, b.policy);
    if (decision.action === 'refuse') return failure('refused', decision.reason);
    if (target) b.activity?.touch({ context: b.context, namespace: ns, sandbox: target.sandbox.metadata.name }, 'agent-tool');

    switch (tool) {
      case 'listSandboxes':
        return this.listSandboxes(b, input.namespace);
      case 'listWarmPools':
        return this.listPools(b, input.namespace);
      case 'claimSandbox':
        return this.claim(b, ns, v.value as Inputs['claimSandbox'], call, o);
      case 'runCommand':
        return this.runCommand(b, target as Target, v.value as Inputs['runCommand'], o);
      case 'readFile':
        return this.readFile(b, target as Target, v.value as Inputs['readFile'], o);
      case 'writeFile':
        return this.writeFile(b, target as Target, v.value as Inputs['writeFile'], o);
      case 'listDirectory':
        return this.listDirectory(b, target as Target, v.value as Inputs['listDirectory']);
      case 'hibernateSandbox':
      case 'resumeSandbox':
        return this.lifecycle(b, target as Target, tool === 'hibernateSandbox', o);
      case 'deleteClaim':
        return this.deleteClaim(b, ns, (v.value as Inputs['deleteClaim']).claim, call);
      case 'previewPort':
        return this.preview(b, target as Target, v.value as Inputs['previewPort']);
    }
  }

  /** A sandbox by its own name, or by the name of the claim that owns it. */
  private async findTarget(b: AgentBackend, ns: string, name: string): Promise<Target | { error: ToolResult }> {
    try {
      return { namespace: ns, sandbox: await b.ops.get('Sandbox', ns, name) };
    } catch (err) {
      if (!(err instanceof KubeError && err.isNotFound)) throw err;
    }
    let claim: KubeObject;
    try {
      claim = await b.ops.get('SandboxClaim', ns, name);
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) return { error: failure('not-found', `No sandbox or claim named ${name} in namespace ${ns} (context ${b.context}).`, 'Call listSandboxes to see the sandboxes, or claimSandbox to get a new one.') };
      throw err;
    }
    const bound = claimSandboxName(claim);
    if (!bound) return { error: failure('not-found', `Claim ${ns}/${name} has no sandbox yet.`, 'Wait a moment and try again, or check the claim with listSandboxes.') };
    try {
      return { namespace: ns, sandbox: await b.ops.get('Sandbox', ns, bound), claim };
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) return { error: failure('not-found', `Claim ${ns}/${name} names sandbox ${bound}, which does not exist (any more).`) };
      throw err;
    }
  }

  private async list(b: AgentBackend, kind: 'Sandbox' | 'SandboxClaim' | 'SandboxWarmPool' | 'SandboxTemplate', ns: string | undefined): Promise<KubeObject[]> {
    const namespaces = ns ? [ns] : b.namespaces ? [...b.namespaces] : [undefined];
    const lists = await Promise.all(namespaces.map((n) => b.client.get<{ items: KubeObject[] }>(collectionPath(b.api, kind, n), { what: `list ${kind}s${n ? ` in ${n}` : ''}` })));
    return lists.flatMap((l) => l.items ?? []);
  }

  private async listSandboxes(b: AgentBackend, ns: string | undefined): Promise<ToolResult> {
    const sandboxes = await this.list(b, 'Sandbox', ns);
    const notes: string[] = [];
    const claims = await this.list(b, 'SandboxClaim', ns).catch((err: unknown) => {
      if (err instanceof KubeError && err.isForbidden) {
        notes.push(`Claims could not be listed (RBAC forbids listing SandboxClaims): ${err.message}`);
        return [] as KubeObject[];
      }
      throw err;
    });
    const claimOf = new Map<string, KubeObject>();
    for (const c of claims) {
      const s = claimSandboxName(c);
      if (s) claimOf.set(`${c.metadata.namespace}/${s}`, c);
    }
    const rows = sandboxes.map((sb) => {
      const claim = claimOf.get(`${sb.metadata.namespace}/${sb.metadata.name}`);
      const owner = controllerOwner(sb);
      const idle = b.activity?.idleMs({ context: b.context, namespace: sb.metadata.namespace ?? '', sandbox: sb.metadata.name });
      return {
        name: sb.metadata.name,
        namespace: sb.metadata.namespace,
        state: sandboxState(sb),
        claim: claim?.metadata.name,
        pool: (claim && claimSource(claim)?.name) ?? (owner?.kind === 'SandboxWarmPool' ? owner.name : undefined),
        runtime: runtimeName(runtimeClassOf(sb)),
        launch: launchType(sb),
        agentClaimed: isAgentClaim(claim),
        idleSeconds: idle === undefined ? undefined : Math.round(idle / 1000),
        unclaimedWarmPoolMember: !claim && owner?.kind === 'SandboxWarmPool' ? true : undefined,
      };
    });
    return { ok: true, summary: `${rows.length} sandbox(es) in ${ns ?? (b.namespaces ? b.namespaces.join(', ') : 'all namespaces')} (context ${b.context}).${notes.length ? ` ${notes.join(' ')}` : ''}`, data: rows };
  }

  private async listPools(b: AgentBackend, ns: string | undefined): Promise<ToolResult> {
    const [pools, templates] = await Promise.all([this.list(b, 'SandboxWarmPool', ns), this.list(b, 'SandboxTemplate', ns)]);
    const rows = pools.map((p) => {
      const t = templates.find((x) => x.metadata.namespace === p.metadata.namespace && x.metadata.name === poolTemplateName(p));
      const r = poolReplicas(p);
      return { name: p.metadata.name, namespace: p.metadata.namespace, ready: r.ready, desired: r.desired, template: poolTemplateName(p), runtime: t ? runtimeName(runtimeClassOf(t)) : undefined };
    });
    return { ok: true, summary: `${rows.length} warm pool(s) (context ${b.context}).`, data: rows };
  }

  private async claim(b: AgentBackend, ns: string, input: Inputs['claimSandbox'], call: ToolCall, o: InvokeOptions): Promise<ToolResult> {
    let pool: KubeObject;
    try {
      pool = await b.ops.get('SandboxWarmPool', ns, input.pool);
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) return failure('not-found', `No warm pool ${input.pool} in namespace ${ns}.`, 'Call listWarmPools to see the pools.');
      throw err;
    }
    const name = input.name ?? generateClaimName(input.pool);
    const start = Date.now();
    const body = agentClaimBody(b.api, { namespace: ns, name, pool, ttlSeconds: input.ttlSeconds, env: input.env, labels: input.labels, now: new Date() });
    await b.client.request('POST', collectionPath(b.api, 'SandboxClaim', ns), { body, what: `create claim ${ns}/${name}` });
    let sandbox: KubeObject;
    try {
      sandbox = await b.ops.waitClaimReady(ns, name, { timeoutMs: b.readyTimeoutMs, signal: o.signal });
    } catch (err) {
      const r = resultFromError(err);
      if (!r.ok) return failure(r.code, `Claim ${ns}/${name} was created, but its sandbox did not become Ready: ${r.message}`, r.hint);
      throw err;
    }
    call.sandbox = sandbox.metadata.name;
    b.activity?.touch({ context: b.context, namespace: ns, sandbox: sandbox.metadata.name }, 'agent-tool');
    const ms = Date.now() - start;
    const launch = launchType(sandbox) ?? 'unknown';
    return {
      ok: true,
      summary: `Sandbox ${sandbox.metadata.name} is Ready (claim ${name}, ${launch === 'warm' ? 'warm from the pool' : launch === 'cold' ? 'cold start' : 'ready'}, ${ms} ms).`,
      data: { claim: name, sandbox: sandbox.metadata.name, namespace: ns, launch, msToReady: ms, runtime: runtimeName(runtimeClassOf(sandbox)) },
    };
  }

  private fileTarget(b: AgentBackend, t: Target, container: string | undefined): FileTarget {
    return { context: b.context, namespace: t.namespace, sandbox: t.sandbox.metadata.name, container: container ?? defaultContainer(t.sandbox) ?? '' };
  }

  private async resolvePath(b: AgentBackend, ft: FileTarget, p: string | undefined): Promise<string> {
    if (p?.startsWith('/')) return normalizePath(p);
    const wd = await b.fs.workingDirectory(ft);
    return p ? joinPath(wd, p) : wd;
  }

  private async runCommand(b: AgentBackend, t: Target, input: Inputs['runCommand'], o: InvokeOptions): Promise<ToolResult> {
    const state = sandboxState(t.sandbox);
    if (state !== 'Running') return stateFailure(t, state);
    const ft = this.fileTarget(b, t, input.container);
    const pod = await b.fs.locator.locate(ft);
    const argv = 'argv' in input.command ? input.command.argv : ['sh', '-c', input.command.shell];
    // A long command keeps the sandbox from auto-hibernating under it.
    const held = b.activity?.hold?.({ context: b.context, namespace: t.namespace, sandbox: t.sandbox.metadata.name }, 'command');
    const run = await runRemote(pod, wrapperArgv({ argv, cwd: input.cwd, env: input.env }), { cap: DEFAULT_OUTPUT_CAP, timeoutMs: input.timeoutSeconds * 1000, signal: o.signal }).finally(() => held?.dispose());
    const out = { stdout: run.stdout.text(), stderr: run.stderr.text() };
    if (run.result.kind === 'timeout' || run.result.kind === 'cancelled') {
      const killed = run.killed ? 'the process group was killed' : 'the remote process could not be identified, so it may still run';
      const what = run.result.kind === 'timeout' ? `Timed out after ${input.timeoutSeconds} s` : 'Cancelled';
      return failure(run.result.kind, `${what}; ${killed}.\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`, run.result.kind === 'timeout' ? 'Give a larger timeoutSeconds, or run long jobs in the background (nohup … &) and poll.' : undefined);
    }
    if (run.result.kind === 'exited') {
      const code = run.result.code;
      return { ok: true, summary: `Exit code ${code}.`, exitCode: code, data: { exitCode: code, ...out } };
    }
    if (run.result.kind === 'lost') return failure('unreachable', `The connection to ${pod.label} was lost: ${run.result.message}`);
    return failure('failed', `The command could not run in ${pod.label}: ${run.result.message}`);
  }

  private async readFile(b: AgentBackend, t: Target, input: Inputs['readFile'], o: InvokeOptions): Promise<ToolResult> {
    const ft = this.fileTarget(b, t, input.container);
    const p = await this.resolvePath(b, ft, input.path);
    let bytes: Uint8Array;
    let size: number | undefined;
    try {
      bytes = await b.fs.read(ft, p, { maxBytes: input.maxBytes, signal: o.signal });
    } catch (err) {
      if (!(err instanceof SandboxFileError && err.code === 'TooLarge')) throw err;
      size = err.size;
      const pod = await b.fs.locator.locate(ft);
      const r = await runScript(pod, { script: HEAD_SCRIPT, args: [p, String(input.maxBytes)], idleTimeoutMs: 30_000, signal: o.signal });
      bytes = r.stdout;
    }
    const omitted = size !== undefined ? size - bytes.byteLength : 0;
    const note = omitted > 0 ? `\n[truncated, ${omitted} bytes omitted]` : '';
    if (input.encoding === 'base64') return { ok: true, summary: `${p}: ${bytes.byteLength} bytes (base64)${omitted ? `, ${omitted} more bytes omitted` : ''}.`, data: { path: p, size: size ?? bytes.byteLength, content: Buffer.from(bytes).toString('base64'), omittedBytes: omitted } };
    if (!isUtf8Text(bytes)) return failure('failed', `${p} is not UTF-8 text (${size ?? bytes.byteLength} bytes).`, 'Read it again with encoding "base64".');
    return { ok: true, summary: `${p} (${size ?? bytes.byteLength} bytes):\n${Buffer.from(bytes).toString('utf8')}${note}` };
  }

  private async writeFile(b: AgentBackend, t: Target, input: Inputs['writeFile'], o: InvokeOptions): Promise<ToolResult> {
    const ft = this.fileTarget(b, t, input.container);
    const p = await this.resolvePath(b, ft, input.path);
    const parent = parentPath(p);
    if (parent !== '/') await b.fs.mkdir(ft, parent, { parents: true });
    const { created } = await b.fs.write(ft, p, input.content, { create: true, overwrite: true, signal: o.signal });
    return { ok: true, summary: `${created ? 'Created' : 'Replaced'} ${p} (${input.content.byteLength} bytes).` };
  }

  private async listDirectory(b: AgentBackend, t: Target, input: Inputs['listDirectory']): Promise<ToolResult> {
    const ft = this.fileTarget(b, t, input.container);
    const p = await this.resolvePath(b, ft, input.path);
    const entries = await b.fs.list(ft, p);
    entries.sort((x, y) => x.name.localeCompare(y.name));
    const rows = entries.slice(0, 1000).map((e) => ({ name: e.name, type: e.isLink ? 'symlink' : e.kind === 'file' || e.kind === 'directory' ? e.kind : 'other', size: e.kind === 'file' ? e.size : undefined }));
    const more = entries.length > 1000 ? ` (first 1000 of ${entries.length})` : '';
    return { ok: true, summary: `${p}: ${entries.length} entries${more}.`, data: rows };
  }

  private async lifecycle(b: AgentBackend, t: Target, hibernate: boolean, o: InvokeOptions): Promise<ToolResult> {
    const name = t.sandbox.metadata.name;
    const state = sandboxState(t.sandbox);
    if (hibernate && state === 'Hibernated') return { ok: true, summary: `Sandbox ${name} is already hibernated.` };
    if (!hibernate && state === 'Running') return { ok: true, summary: `Sandbox ${name} is already running.` };
    const start = Date.now();
    await b.ops.setSuspended(t.namespace, name, hibernate);
    if (hibernate) await b.ops.waitHibernated(t.namespace, name, { timeoutMs: b.hibernateTimeoutMs, signal: o.signal });
    else await b.ops.waitReady(t.namespace, name, { timeoutMs: b.readyTimeoutMs, signal: o.signal });
    return { ok: true, summary: `Sandbox ${name} is ${hibernate ? 'hibernated; its persistent volume files are kept' : 'running again'} (${Date.now() - start} ms).` };
  }

  private async deleteClaim(b: AgentBackend, ns: string, claim: string, call: ToolCall): Promise<ToolResult> {
    let obj: KubeObject;
    try {
      obj = await b.ops.get('SandboxClaim', ns, claim);
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) return failure('not-found', `No claim ${claim} in namespace ${ns}.`, 'Call listSandboxes to see the claims.');
      throw err;
    }
    call.sandbox = claimSandboxName(obj) ?? claim;
    await b.ops.delete('SandboxClaim', ns, claim);
    return { ok: true, summary: `Deleted claim ${ns}/${claim}${claimSandboxName(obj) ? ` and its sandbox ${claimSandboxName(obj)}` : ''}.` };
  }

  private async preview(b: AgentBackend, t: Target, input: Inputs['previewPort']): Promise<ToolResult> {
    const state = sandboxState(t.sandbox);
    if (state !== 'Running') return stateFailure(t, state);
    const pod = podName(t.sandbox);
    if (!pod) return stateFailure(t, state);
    const { url, reused } = await b.previews.open(b.client, { context: b.context, namespace: t.namespace, sandbox: t.sandbox.metadata.name, pod, container: input.container, port: input.port });
    return { ok: true, summary: `Port ${input.port} of sandbox ${t.sandbox.metadata.name} is at ${url}${reused ? ' (existing forward)' : ''}.`, data: { url } };
  }
}

function stateFailure(t: Target, state: string): ToolResult {
  const name = t.sandbox.metadata.name;
  if (state === 'Hibernated' || state === 'Hibernating') return failure('hibernated', `Sandbox ${name} is ${state.toLowerCase()}.`, `Call resumeSandbox with sandbox "${name}" first.`);
  return failure('failed', `Sandbox ${name} is ${state}, not Running.`, state === 'Starting' ? 'Wait a moment and try again.' : 'Claim a new sandbox with claimSandbox.');
}

/** Valid UTF-8 without NUL bytes: text a model can read as it is. */
export function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The confirmation text: what will happen, never file contents or env values. */
function confirmationText(tool: ToolName, input: unknown, what: string, runtime: string, context: string): string {
  const i = input as Record<string, unknown>;
  switch (tool) {
    case 'runCommand': {
      const cmd = i.command as { argv?: string[]; shell?: string };
      const text = cmd.argv ? cmd.argv.join(' ') : (cmd.shell ?? '');
      return `Run in ${what} (${runtime || 'unknown runtime'}, context ${context}):\n\n\`\`\`\n${text.slice(0, 2000)}\n\`\`\`${Object.keys((i.env as object) ?? {}).length ? `\nwith environment variables ${Object.keys(i.env as object).join(', ')}` : ''}`;
    }
    case 'writeFile':
      return `Write ${(i.content as Uint8Array).byteLength} bytes to ${String(i.path)} in ${what} (context ${context}).`;
    case 'claimSandbox':
      return `Claim a new sandbox from warm pool ${what.replace(/^pool /, '')} (context ${context}).`;
    case 'hibernateSandbox':
      return `Hibernate ${what}: its pod stops; files on its volume are kept.`;
    case 'resumeSandbox':
      return `Resume ${what}.`;
    case 'deleteClaim':
      return `Delete ${what} with its sandbox and ALL data on its volumes (context ${context}). This cannot be undone.`;
    case 'previewPort':
      return `Forward port ${String(i.port)} of ${what} to a local port on this machine.`;
    default:
      return `${what} (context ${context})`;
  }
}
