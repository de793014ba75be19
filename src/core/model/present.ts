import { claimCreator, claimExpiry, claimLatency, claimSandboxName, claimServiceFqdn, claimSource, claimStatus } from './claim';
import { PodProblem, problemLabel } from './podProblem';
import { conditions, formatAge, KubeObject } from './objects';
import { poolReplicas, poolTemplateName } from './pool';
import {
  containerNames,
  isIsolated,
  launchType,
  nodeName,
  podIPs,
  podName,
  retainedPvcs,
  runtimeClassOf,
  runtimeName,
  sandboxState,
  stateDetail,
} from './sandbox';

/** Text the tree shows, derived purely from objects so it is unit-tested without VS Code. */
export function sandboxDescription(sb: KubeObject, now: number, problem?: PodProblem): string {
  const parts: string[] = [problem ? problemLabel(problem) : sandboxState(sb), runtimeName(runtimeClassOf(sb))];
  const launch = launchType(sb);
  if (launch) parts.push(launch);
  parts.push(formatAge(sb.metadata.creationTimestamp, now));
  return parts.filter(Boolean).join(' · ');
}

function esc(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export function sandboxTooltip(sb: KubeObject, now: number, problem?: PodProblem): string {
  const state = problem ? problemLabel(problem) : sandboxState(sb);
  const rc = runtimeClassOf(sb);
  const lines = [`**Sandbox ${esc(sb.metadata.name)}** — ${state}`, ''];
  const detail = problem ? `${problem.reason}: ${problem.message}` : stateDetail(sb);
  if (detail) lines.push(`_${esc(detail)}_`, '');
  lines.push(`- Namespace: ${esc(sb.metadata.namespace ?? '')}`);
  lines.push(`- Runtime: ${esc(runtimeName(rc))}${rc ? ` (runtimeClassName \`${rc}\`)` : ' — **not isolated** (no runtimeClassName)'}`);
  const launch = launchType(sb);
  if (launch) lines.push(`- Launch: ${launch}`);
  const pod = podName(sb);
  lines.push(`- Pod: ${pod ? esc(pod) : '—'}`);
  const ips = podIPs(sb);
  if (ips.length) lines.push(`- IPs: ${ips.map(esc).join(', ')}`);
  const node = nodeName(sb);
  if (node) lines.push(`- Node: ${esc(node)}`);
  const containers = containerNames(sb);
  if (containers.length) lines.push(`- Containers: ${containers.map(esc).join(', ')}`);
  const pvcs = retainedPvcs(sb);
  if (pvcs.length) lines.push(`- PVCs (kept while hibernated): ${pvcs.map(esc).join(', ')}`);
  lines.push(`- Age: ${formatAge(sb.metadata.creationTimestamp, now)}`);
  const conds = conditions(sb);
  if (conds.length) {
    lines.push('', '| Condition | Status | Reason | Message |', '|---|---|---|---|');
    for (const c of conds) lines.push(`| ${esc(c.type)} | ${esc(c.status)} | ${esc(c.reason ?? '')} | ${esc(c.message ?? '')} |`);
  }
  return lines.join('\n');
}

export function poolDescription(pool: KubeObject, template: KubeObject | undefined): string {
  const { ready, desired } = poolReplicas(pool);
  const parts = [`${ready}/${desired} ready`];
  if (template) parts.push(runtimeName(runtimeClassOf(template)));
  else if (poolTemplateName(pool)) parts.push(`template ${poolTemplateName(pool)}`);
  return parts.join(' · ');
}

export function poolTooltip(pool: KubeObject, template: KubeObject | undefined): string {
  const { ready, desired, current } = poolReplicas(pool);
  const lines = [`**Warm pool ${esc(pool.metadata.name)}**`, '', `- Ready: ${ready} of ${desired} desired (${current} members)`];
  lines.push(`- Template: ${esc(poolTemplateName(pool) ?? '—')}${template ? '' : ' (not found)'}`);
  if (template) lines.push(`- Runtime: ${esc(runtimeName(runtimeClassOf(template)))}`);
  if (ready === 0 && desired > 0) lines.push('', '_The pool is empty: new claims start cold._');
  return lines.join('\n');
}

export function claimDescription(claim: KubeObject, now: number): string {
  const st = claimStatus(claim);
  const parts: string[] = [st.status];
  const src = claimSource(claim);
  if (src) parts.push(src.kind === 'pool' ? `pool ${src.name}` : `template ${src.name}`);
  const expiry = claimExpiry(claim, now);
  if (expiry && st.status !== 'Expired') parts.push(expiry);
  parts.push(formatAge(claim.metadata.creationTimestamp, now));
  return parts.join(' · ');
}

/** "1.2 s" / "340 ms" for a latency figure. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.max(0, Math.round(ms))} ms`;
}

/** The claim latency the client and controller annotated, as one line (undefined when unknown). */
export function claimLatencyText(claim: KubeObject): string | undefined {
  const l = claimLatency(claim);
  const parts: string[] = [];
  if (l.requestToObserved !== undefined) parts.push(`requested → controller saw it ${formatMs(l.requestToObserved)}`);
  if (l.observedToReady !== undefined) parts.push(`→ Ready ${formatMs(l.observedToReady)}`);
  if (l.requestToReady !== undefined) parts.push(`(total ${formatMs(l.requestToReady)})`);
  return parts.length ? parts.join(' ') : undefined;
}

export function claimTooltip(claim: KubeObject, now: number = Date.now()): string {
  const st = claimStatus(claim);
  const lines = [`**Claim ${esc(claim.metadata.name)}** — ${st.status}`, ''];
  if (st.reason) lines.push(`- Reason: ${esc(st.reason)}${st.waiting ? ` (${esc(st.waiting)})` : ''}`);
  if (st.message) lines.push(`- Message: ${esc(st.message)}`);
  lines.push(`- Sandbox: ${esc(claimSandboxName(claim) ?? 'not bound yet')}`);
  const fqdn = claimServiceFqdn(claim);
  if (fqdn) lines.push(`- Service: ${esc(fqdn)}`);
  const src = claimSource(claim);
  if (src) lines.push(`- From: ${src.kind === 'pool' ? 'warm pool' : 'template'} ${esc(src.name)}`);
  const creator = claimCreator(claim);
  lines.push(`- Created by: ${esc(creator ?? 'unknown (no created-by label)')}`);
  const expiry = claimExpiry(claim, now);
  if (expiry) lines.push(`- TTL: ${esc(expiry)}`);
  const latency = claimLatencyText(claim);
  if (latency) lines.push(`- Claim latency: ${esc(latency)}`);
  return lines.join('\n');
}

export function templateDescription(t: KubeObject): string {
  const rc = runtimeClassOf(t);
  return isIsolated(rc) ? runtimeName(rc) : 'runc · not isolated';
}

export function templateTooltip(t: KubeObject): string {
  const rc = runtimeClassOf(t);
  const lines = [`**Template ${esc(t.metadata.name)}**`, '', `- runtimeClassName: ${rc ? `\`${rc}\`` : '—'}`];
  if (!isIsolated(rc))
    lines.push(
      '',
      "⚠ Sandboxes from this template would **not be isolated**: the pod runs with the node's default runtime (runc). Set `spec.podTemplate.spec.runtimeClassName` (for example `gvisor`).",
    );
  const containers = containerNames(t);
  if (containers.length) lines.push(`- Containers: ${containers.map(esc).join(', ')}`);
  return lines.join('\n');
}
