import type { KubeObject } from '../model/objects';
import { sandboxState } from '../model/sandbox';
import type { ActivityKind } from './activity';
import { CostSummary, formatMoney, HOURS_PER_MONTH, Prices, sandboxCost, summarizeCost } from './cost';
import { formatDuration, idleText } from './idle';
import { formatCpu, formatSize } from './quantity';

/** What this window knows about a sandbox beyond the object: its activity and whether auto-hibernate stopped it. */
export interface UsageFacts {
  /** Undefined: this window never used the sandbox. */
  idleMs?: number | undefined;
  lastKind?: ActivityKind | undefined;
  autoHibernated?: boolean;
}

const KIND_TEXT: Record<ActivityKind, string> = {
  'terminal-input': 'terminal input',
  'terminal-output': 'terminal output',
  'file-read': 'file read',
  'file-write': 'file write',
  'port-forward': 'port-forward traffic',
  'agent-tool': 'agent tool call',
  'terminal-open': 'open terminal',
  command: 'running command',
  'forward-open': 'open port forward',
  'log-stream': 'log stream',
};

/** The part a sandbox row's description gains: "idle for 42 min", "in use", "auto-hibernated". */
export function usageDescription(sb: KubeObject, facts: UsageFacts): string | undefined {
  const state = sandboxState(sb);
  if (facts.autoHibernated && (state === 'Hibernated' || state === 'Hibernating')) return 'auto-hibernated';
  if (state === 'Running' && facts.idleMs !== undefined) return idleText(facts.idleMs);
  return undefined;
}

/** Markdown lines for a sandbox tooltip: activity in this window and what it costs. */
export function usageTooltip(sb: KubeObject, facts: UsageFacts, prices: Prices): string {
  const lines: string[] = [];
  if (facts.autoHibernated) lines.push('- **Hibernated automatically** after being idle (auto-hibernate); its volume keeps its state.');
  if (facts.idleMs !== undefined) {
    const kind = facts.lastKind ? ` (last: ${KIND_TEXT[facts.lastKind]})` : '';
    lines.push(`- Activity in this window: ${facts.idleMs < 60_000 ? 'in use' : `idle for ${formatDuration(facts.idleMs)}`}${kind}`);
  } else {
    lines.push('- Activity in this window: none (auto-hibernate never touches it)');
  }
  lines.push(...costLines(sb, prices));
  return lines.join('\n');
}

export function costLines(sb: KubeObject, prices: Prices): string[] {
  const c = sandboxCost(sb, prices);
  const money = (v: number) => formatMoney(v, prices.currency);
  const req = c.requests;
  const asks = `${formatCpu(req.cpu)}, ${formatSize(req.memory)} requested`;
  const lowerBound = c.complete ? '' : ` — at least: ${missingText(req.missing)}`;
  const lines: string[] = [];
  if (c.computeBilled) lines.push(`- Cost: ~${money(c.perHour)}/h (${asks}${lowerBound})`);
  else
    lines.push(
      `- Cost: ~${money(c.perHour)}/h while ${sandboxState(sb).toLowerCase()} (storage only); ~${money(c.runningHour)}/h when running (${asks}${lowerBound})`,
    );
  if (c.storageBytes > 0) lines.push(`- Storage: ${formatSize(c.storageBytes)} ≈ ${money(c.storageHour * HOURS_PER_MONTH)}/month, kept while hibernated`);
  return lines;
}

function missingText(m: { cpu: string[]; memory: string[] }): string {
  const parts: string[] = [];
  if (m.cpu.length) parts.push(`no CPU request in ${m.cpu.join(', ')}`);
  if (m.memory.length) parts.push(`no memory request in ${m.memory.join(', ')}`);
  return parts.length ? parts.join('; ') : 'no containers in the pod template';
}

/** The status bar text: "3 running · 5 hibernated · $0.42/h". */
export function summaryText(s: CostSummary, currency: string): string {
  return `${s.running} running · ${s.hibernated} hibernated · ${formatMoney(s.perHour, currency)}/h`;
}

export function summaryTooltip(s: CostSummary, prices: Prices): string {
  const money = (v: number) => formatMoney(v, prices.currency);
  const lines = [
    '**Agent Sandbox cost estimate**',
    '',
    `- ${s.running} running${s.transitioning ? `, ${s.transitioning} starting or stopping` : ''}: compute ~${money(s.computeHour)}/h`,
    `- Storage (running and ${s.hibernated} hibernated): ~${money(s.storageHour)}/h ≈ ${money(s.storageHour * HOURS_PER_MONTH)}/month`,
    `- Total: ~${money(s.perHour)}/h ≈ ${money(s.perHour * HOURS_PER_MONTH)}/month at this rate`,
  ];
  if (s.incomplete)
    lines.push(
      '',
      `_${s.incomplete} running sandbox${s.incomplete > 1 ? 'es have' : ' has'} containers without CPU or memory requests: their compute is not fully counted._`,
    );
  lines.push(
    '',
    `Prices (settings): ${money(prices.cpuHour)} per vCPU-hour, ${money(prices.memoryGiBHour)} per GiB-hour, ${money(prices.storageGiBMonth)} per GiB-month. Requests, not usage, are priced.`,
    '',
    'Click to hibernate idle sandboxes.',
  );
  return lines.join('\n');
}

/** A warm pool's standing cost, its members running while they wait to be claimed: "~$0.023/h for 2 members ≈ $16.49/month". */
export function poolStandingCost(members: KubeObject[], prices: Prices): string {
  const s = summarizeCost(members, prices);
  return `~${formatMoney(s.perHour, prices.currency)}/h for ${members.length} member${members.length === 1 ? '' : 's'} ≈ ${formatMoney(s.perHour * HOURS_PER_MONTH, prices.currency)}/month`;
}

export function poolCostLine(members: KubeObject[], prices: Prices): string {
  return `- Standing cost: ${poolStandingCost(members, prices)}`;
}
