import { KubeError } from '../k8s/errors';
import { collectionPath } from '../k8s/resources';
import { claimSandboxName, claimSource } from '../model/claim';
import type { KubeObject } from '../model/objects';
import { poolReplicas, poolTemplateName } from '../model/pool';
import { controllerOwner, launchType, runtimeClassOf, runtimeName, sandboxState } from '../model/sandbox';
import { generateClaimName } from '../model/validation';
import type { AgentBackend } from './backend';
import type { ToolCall } from './callLog';
import { agentClaimBody, isAgentClaim } from './claimBody';
import { failure, resultFromError, ToolResult } from './result';
import type { InvokeOptions, Target } from './toolTarget';
import type { Inputs } from './validate';

// The fleet tools: list sandboxes and warm pools, claim a sandbox, hibernate or resume it, delete a claim.

async function list(b: AgentBackend, kind: 'Sandbox' | 'SandboxClaim' | 'SandboxWarmPool' | 'SandboxTemplate', ns: string | undefined): Promise<KubeObject[]> {
  const namespaces = ns ? [ns] : b.namespaces ? [...b.namespaces] : [undefined];
  const lists = await Promise.all(
    namespaces.map((n) => b.client.get<{ items: KubeObject[] }>(collectionPath(b.api, kind, n), { what: `list ${kind}s${n ? ` in ${n}` : ''}` })),
  );
  return lists.flatMap((l) => l.items ?? []);
}

export async function listSandboxes(b: AgentBackend, ns: string | undefined): Promise<ToolResult> {
  const sandboxes = await list(b, 'Sandbox', ns);
  const notes: string[] = [];
  const claims = await list(b, 'SandboxClaim', ns).catch((err: unknown) => {
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
  return {
    ok: true,
    summary: `${rows.length} sandbox(es) in ${ns ?? (b.namespaces ? b.namespaces.join(', ') : 'all namespaces')} (context ${b.context}).${notes.length ? ` ${notes.join(' ')}` : ''}`,
    data: rows,
  };
}

export async function listPools(b: AgentBackend, ns: string | undefined): Promise<ToolResult> {
  const [pools, templates] = await Promise.all([list(b, 'SandboxWarmPool', ns), list(b, 'SandboxTemplate', ns)]);
  const rows = pools.map((p) => {
    const t = templates.find((x) => x.metadata.namespace === p.metadata.namespace && x.metadata.name === poolTemplateName(p));
    const r = poolReplicas(p);
    return {
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      ready: r.ready,
      desired: r.desired,
      template: poolTemplateName(p),
      runtime: t ? runtimeName(runtimeClassOf(t)) : undefined,
    };
  });
  return { ok: true, summary: `${rows.length} warm pool(s) (context ${b.context}).`, data: rows };
}

export async function claimSandbox(b: AgentBackend, ns: string, input: Inputs['claimSandbox'], call: ToolCall, o: InvokeOptions): Promise<ToolResult> {
  const pool = await b.ops.find('SandboxWarmPool', ns, input.pool);
  if (!pool) return failure('not-found', `No warm pool ${input.pool} in namespace ${ns}.`, 'Call listWarmPools to see the pools.');
  const name = input.name ?? generateClaimName(input.pool);
  const start = Date.now();
  const body = agentClaimBody(b.api, { namespace: ns, name, pool, ttlSeconds: input.ttlSeconds, env: input.env, labels: input.labels, now: new Date() });
  const created = await b.client.request<KubeObject>('POST', collectionPath(b.api, 'SandboxClaim', ns), { body, what: `create claim ${ns}/${name}` });
  let sandbox: KubeObject;
  try {
    sandbox = await b.ops.waitClaimReady(ns, name, { timeoutMs: b.readyTimeoutMs, signal: o.signal, created });
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

export async function setHibernated(b: AgentBackend, t: Target, hibernate: boolean, o: InvokeOptions): Promise<ToolResult> {
  const name = t.sandbox.metadata.name;
  const state = sandboxState(t.sandbox);
  if (hibernate && state === 'Hibernated') return { ok: true, summary: `Sandbox ${name} is already hibernated.` };
  if (!hibernate && state === 'Running') return { ok: true, summary: `Sandbox ${name} is already running.` };
  const start = Date.now();
  await b.ops.setSuspended(t.namespace, name, hibernate);
  if (hibernate) await b.ops.waitHibernated(t.namespace, name, { timeoutMs: b.hibernateTimeoutMs, signal: o.signal });
  else await b.ops.waitReady(t.namespace, name, { timeoutMs: b.readyTimeoutMs, signal: o.signal });
  return {
    ok: true,
    summary: `Sandbox ${name} is ${hibernate ? 'hibernated; its persistent volume files are kept' : 'running again'} (${Date.now() - start} ms).`,
  };
}

export async function deleteClaim(b: AgentBackend, ns: string, claim: string, call: ToolCall): Promise<ToolResult> {
  const obj = await b.ops.find('SandboxClaim', ns, claim);
  if (!obj) return failure('not-found', `No claim ${claim} in namespace ${ns}.`, 'Call listSandboxes to see the claims.');
  call.sandbox = claimSandboxName(obj) ?? claim;
  await b.ops.delete('SandboxClaim', ns, claim);
  return { ok: true, summary: `Deleted claim ${ns}/${claim}${claimSandboxName(obj) ? ` and its sandbox ${claimSandboxName(obj)}` : ''}.` };
}
