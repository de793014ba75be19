import { LABEL_CREATED_BY } from '../model/claim';
import type { KubeObject } from '../model/objects';
import { SandboxState, sandboxState } from '../model/sandbox';

/** Values of the created-by label this extension writes: the user's own claims and an agent's. */
export const CREATED_BY_ME = 'vscode';
export const CREATED_BY_AGENT = 'vscode-agent';

/** One requirement of an equality-based label selector (`k=v`, `k!=v`, `k`, `!k`). */
export type LabelRequirement = { key: string; op: 'eq' | 'ne'; value: string } | { key: string; op: 'exists' | 'absent' };

/** What the tree shows of the sandboxes; every field narrows, an empty filter shows all. */
export interface SandboxFilter {
  /** Case-insensitive substring of the name. */
  text?: string;
  labels?: LabelRequirement[];
  states?: SandboxState[];
  createdBy?: 'me' | 'agent';
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Parses `app=web,tier!=db,gpu,!spot`; throws with the part that is wrong. Set-based (`in`) selectors are not supported. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const out: LabelRequirement[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(!?)([^=!\s]+)\s*(?:(!=|==|=)\s*(\S*))?$/.exec(part);
    if (!m || (m[1] && m[3])) throw new Error(`"${part}" is not a label requirement (use key=value, key!=value, key or !key)`);
    const [, not, key = '', op, value = ''] = m;
    if (!KEY.test(key)) throw new Error(`"${key}" is not a valid label key`);
    if (op && !VALUE.test(value)) throw new Error(`"${value}" is not a valid label value`);
    out.push(op ? { key, op: op === '!=' ? 'ne' : 'eq', value } : { key, op: not ? 'absent' : 'exists' });
  }
  return out;
}

export function formatLabelSelector(reqs: LabelRequirement[]): string {
  return reqs.map((r) => (r.op === 'eq' ? `${r.key}=${r.value}` : r.op === 'ne' ? `${r.key}!=${r.value}` : r.op === 'exists' ? r.key : `!${r.key}`)).join(',');
}

export function isEmptyFilter(f: SandboxFilter | undefined): boolean {
  return !f || (!f.text && !f.labels?.length && !f.states?.length && !f.createdBy);
}

/**
 * Whether a sandbox passes the filter. `claim` is the claim that owns it, if any: a claimed
 * sandbox's created-by label is on its claim (the controller does not copy it).
 */
export function matchesFilter(sb: KubeObject, f: SandboxFilter, claim?: KubeObject): boolean {
  if (f.text && !sb.metadata.name.toLowerCase().includes(f.text.toLowerCase())) return false;
  const labels = sb.metadata.labels ?? {};
  for (const r of f.labels ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    if (r.op === 'exists' && !has) return false;
    if (r.op === 'absent' && has) return false;
    if (r.op === 'eq' && labels[r.key] !== r.value) return false;
    if (r.op === 'ne' && labels[r.key] === r.value) return false;
  }
  if (f.states?.length && !f.states.includes(sandboxState(sb))) return false;
  if (f.createdBy) {
    const by = labels[LABEL_CREATED_BY] ?? claim?.metadata.labels?.[LABEL_CREATED_BY];
    if (by !== (f.createdBy === 'me' ? CREATED_BY_ME : CREATED_BY_AGENT)) return false;
  }
  return true;
}

/** The filter in one line, for the view's message: `name ~ "web" · state Running, Starting · labels app=web · created by an agent`. */
export function describeFilter(f: SandboxFilter): string {
  const parts: string[] = [];
  if (f.text) parts.push(`name ~ "${f.text}"`);
  if (f.states?.length) parts.push(`state ${f.states.join(', ')}`);
  if (f.labels?.length) parts.push(`labels ${formatLabelSelector(f.labels)}`);
  if (f.createdBy) parts.push(f.createdBy === 'me' ? 'created by me' : 'created by an agent');
  return parts.join(' · ');
}

const STATES: readonly SandboxState[] = ['Running', 'Starting', 'Hibernating', 'Hibernated', 'Expired', 'Failed', 'Finished'];

/**
 * Parses the filter box: `web state:running,starting label:app=web,!spot by:agent`. A bare word
 * is the name substring; throws with a message fit for the input box.
 */
export function parseFilterQuery(text: string): SandboxFilter {
  const f: SandboxFilter = {};
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(state|label|by):(.*)$/i.exec(token);
    if (!m) {
      if (f.text) throw new Error(`One name part only ("${f.text}" and "${token}"); use state:, label: or by: for the rest`);
      f.text = token;
      continue;
    }
    const [, field = '', value = ''] = m;
    switch (field.toLowerCase()) {
      case 'state':
        f.states = value
          .split(',')
          .filter(Boolean)
          .map((v) => {
            const state = STATES.find((s) => s.toLowerCase() === v.toLowerCase());
            if (!state) throw new Error(`"${v}" is not a state (${STATES.join(', ')})`);
            return state;
          });
        break;
      case 'label':
        f.labels = [...(f.labels ?? []), ...parseLabelSelector(value)];
        break;
      default:
        if (value.toLowerCase() !== 'me' && value.toLowerCase() !== 'agent') throw new Error('by: takes "me" or "agent"');
        f.createdBy = value.toLowerCase() as 'me' | 'agent';
    }
  }
  return f;
}

/** The filter as the text parseFilterQuery reads (to prefill the box with the current filter). */
export function formatFilterQuery(f: SandboxFilter): string {
  const parts: string[] = [];
  if (f.text) parts.push(f.text);
  if (f.states?.length) parts.push(`state:${f.states.join(',')}`);
  if (f.labels?.length) parts.push(`label:${formatLabelSelector(f.labels)}`);
  if (f.createdBy) parts.push(`by:${f.createdBy}`);
  return parts.join(' ');
}
