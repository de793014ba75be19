import * as yaml from 'js-yaml';
import type { KubeObject } from '../model/objects';

/** Which object an editor shows; the edited text must keep this identity. */
export interface ObjectIdentity {
  kind: string;
  namespace: string;
  name: string;
}

export interface EditProblem {
  message: string;
  /** 0-based line in the edited text, when it can be placed. */
  line?: number | undefined;
}

export type ParsedEdit = { ok: true; object: KubeObject } | { ok: false; problem: EditProblem };

/**
 * Parses and checks edited YAML before anything is sent: one document, a mapping, the same kind,
 * namespace and name, and a resourceVersion (without it the API server would accept a blind
 * overwrite of whatever is there now).
 */
export function parseEdit(text: string, id: ObjectIdentity): ParsedEdit {
  let doc: unknown;
  try {
    const docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
    if (docs.length !== 1) return { ok: false, problem: { message: `Expected one YAML document, found ${docs.length}.` } };
    doc = docs[0];
  } catch (err) {
    const e = err as yaml.YAMLException;
    return { ok: false, problem: { message: `YAML syntax error: ${e.reason ?? e.message}`, line: e.mark?.line } };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, problem: { message: 'The document must be a YAML mapping (an object).' } };
  const obj = doc as KubeObject;
  const meta = obj.metadata;
  const lineOf = (key: string) => findFieldLine(text, key.split('.'));
  if (obj.kind !== id.kind)
    return {
      ok: false,
      problem: { message: `kind must stay "${id.kind}" (found "${String(obj.kind)}"); create a new object with kubectl instead.`, line: lineOf('kind') },
    };
  if (!meta || typeof meta !== 'object') return { ok: false, problem: { message: 'metadata is missing.' } };
  if (meta.name !== id.name)
    return { ok: false, problem: { message: `metadata.name must stay "${id.name}": renaming is not an update.`, line: lineOf('metadata.name') } };
  if ((meta.namespace ?? id.namespace) !== id.namespace)
    return { ok: false, problem: { message: `metadata.namespace must stay "${id.namespace}".`, line: lineOf('metadata.namespace') } };
  if (!meta.resourceVersion) {
    return {
      ok: false,
      problem: {
        message: 'metadata.resourceVersion is required: it is how a change made by someone else since you opened this is detected instead of overwritten.',
        line: lineOf('metadata'),
      },
    };
  }
  return { ok: true, object: { ...obj, metadata: { ...meta, namespace: id.namespace } } };
}

interface LineInfo {
  /** Leading spaces. */
  raw: number;
  /** Column where the mapping key starts ("- " of a sequence item skipped). */
  eff: number;
  content: string;
  item: boolean;
  blank: boolean;
}

function lineInfo(line: string): LineInfo {
  const trimmed = line.trimStart();
  const raw = line.length - trimmed.length;
  const item = trimmed === '-' || trimmed.startsWith('- ');
  const content = item ? trimmed.slice(1).trimStart() : trimmed;
  return { raw, eff: raw + (trimmed.length - content.length), content, item, blank: !trimmed || trimmed.startsWith('#') };
}

function isKey(content: string, key: string): boolean {
  return content.startsWith(`${key}:`) || content.startsWith(`'${key}':`) || content.startsWith(`"${key}":`);
}

/**
 * The 0-based line of a field path (`spec.podTemplate.spec.containers[0].image`) in block-style
 * YAML, found by indentation; the deepest line found when the rest is missing. Good enough to put
 * an API validation error next to its field.
 */
export function findFieldLine(text: string, path: string[]): number | undefined {
  const info = text.split('\n').map(lineInfo);
  let found: number | undefined;
  // The block to search: lines from `start`, deeper than `parentRaw`; an item's first key sits on its own line.
  let start = 0;
  let parentRaw = -1;
  for (const seg of path) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return found;
    const [, key = '', indexes = ''] = m;
    let childEff: number | undefined;
    let hit: number | undefined;
    for (let i = start; i < info.length; i++) {
      const x = info[i]!; // i < info.length
      if (x.blank) continue;
      if (i !== start && x.raw <= parentRaw) break;
      childEff ??= x.eff;
      if (x.eff === childEff && isKey(x.content, key)) {
        hit = i;
        break;
      }
    }
    if (hit === undefined) return found;
    found = hit;
    start = hit + 1;
    parentRaw = info[hit]!.eff;
    for (const index of [...indexes.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))) {
      let itemRaw: number | undefined;
      let count = -1;
      let item: number | undefined;
      for (let i = start; i < info.length; i++) {
        const x = info[i]!; // i < info.length
        if (x.blank) continue;
        if (x.raw < parentRaw || (x.raw === parentRaw && !x.item)) break;
        if (!x.item) continue;
        itemRaw ??= x.raw;
        if (x.raw !== itemRaw) continue;
        if (++count === index) {
          item = i;
          break;
        }
      }
      if (item === undefined) return found;
      found = item;
      start = item;
      parentRaw = info[item]!.raw;
    }
  }
  return found;
}

/** Field paths an API validation message names ("spec.replicas: Invalid value: …"), with their text. */
export function fieldsInMessage(message: string): { field: string; text: string }[] {
  const re =
    /([a-zA-Z][\w-]*(?:\[\d+\])*(?:\.[a-zA-Z][\w-]*(?:\[\d+\])*)*): (?=Invalid value|Unsupported value|Required value|Forbidden|Duplicate value|Too long|Too many|Not found|Invalid)/g;
  const hits = [...message.matchAll(re)];
  return hits.map((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = i + 1 < hits.length ? (hits[i + 1]!.index ?? message.length) : message.length;
    return {
      field: m[1] ?? '',
      text: message
        .slice(from, to)
        .replace(/[\s,\]]+$/, '')
        .trim(),
    };
  });
}

/** The server's answer to a stale save, worded so the user knows how to proceed. */
export function conflictMessage(id: ObjectIdentity, mine: string | undefined, server: string | undefined): string {
  return (
    `Not saved: ${id.kind} ${id.namespace}/${id.name} was changed on the server after you opened it ` +
    `(your resourceVersion ${mine ?? '?'}, the server's ${server ?? '?'}). Nothing was overwritten. ` +
    `Compare with the server's version, carry your edits over (or deliberately set metadata.resourceVersion to ${server ?? "the server's"}) and save again.`
  );
}
