import { validateName } from '../model/validation';
import { DEFAULT_TIMEOUT_SECONDS, MAX_READ_BYTES, MAX_TIMEOUT_SECONDS, MAX_WRITE_BYTES, ToolName } from './tools';

/** Inputs after validation: what each tool works with. */
export interface Inputs {
  listSandboxes: { namespace?: string | undefined };
  listWarmPools: { namespace?: string | undefined };
  claimSandbox: {
    pool: string;
    namespace?: string | undefined;
    name?: string | undefined;
    ttlSeconds?: number | undefined;
    env?: Record<string, string> | undefined;
    labels?: Record<string, string> | undefined;
  };
  runCommand: {
    sandbox: string;
    namespace?: string | undefined;
    command: { argv: string[] } | { shell: string };
    cwd?: string | undefined;
    env: Record<string, string>;
    timeoutSeconds: number;
    container?: string | undefined;
  };
  readFile: { sandbox: string; namespace?: string | undefined; path: string; encoding: 'utf8' | 'base64'; maxBytes: number; container?: string | undefined };
  writeFile: { sandbox: string; namespace?: string | undefined; path: string; content: Uint8Array; container?: string | undefined };
  listDirectory: { sandbox: string; namespace?: string | undefined; path?: string | undefined; container?: string | undefined };
  hibernateSandbox: { sandbox: string; namespace?: string | undefined };
  resumeSandbox: { sandbox: string; namespace?: string | undefined };
  deleteClaim: { claim: string; namespace?: string | undefined };
  previewPort: { sandbox: string; namespace?: string | undefined; port: number; container?: string | undefined };
}

export type Validated<N extends ToolName> = { ok: true; value: Inputs[N] } | { ok: false; message: string };

class Invalid extends Error {}

type Raw = Record<string, unknown>;

const ALLOWED: Record<ToolName, string[]> = {
  listSandboxes: ['namespace'],
  listWarmPools: ['namespace'],
  claimSandbox: ['pool', 'namespace', 'name', 'ttlSeconds', 'env', 'labels'],
  runCommand: ['sandbox', 'namespace', 'argv', 'shell', 'cwd', 'env', 'timeoutSeconds', 'container'],
  readFile: ['sandbox', 'namespace', 'path', 'encoding', 'maxBytes', 'container'],
  writeFile: ['sandbox', 'namespace', 'path', 'content', 'encoding', 'container'],
  listDirectory: ['sandbox', 'namespace', 'path', 'container'],
  hibernateSandbox: ['sandbox', 'namespace'],
  resumeSandbox: ['sandbox', 'namespace'],
  deleteClaim: ['claim', 'namespace'],
  previewPort: ['sandbox', 'namespace', 'port', 'container'],
};

/** Checks a tool's raw input (from a model: anything) and returns typed input or a message the model can act on. */
export function validateInput<N extends ToolName>(tool: N, raw: unknown): Validated<N> {
  try {
    if (raw === undefined || raw === null) raw = {};
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new Invalid('the input must be a JSON object');
    const r = raw as Raw;
    const unknown = Object.keys(r).filter((k) => !ALLOWED[tool].includes(k));
    if (unknown.length) throw new Invalid(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (allowed: ${ALLOWED[tool].join(', ')})`);
    return { ok: true, value: build(tool, r) as Inputs[N] };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, message: `Invalid input for ${tool}: ${err.message}` };
    throw err;
  }
}

function build(tool: ToolName, r: Raw): Inputs[ToolName] {
  const ns = optName(r, 'namespace');
  switch (tool) {
    case 'listSandboxes':
    case 'listWarmPools':
      return { namespace: ns };
    case 'claimSandbox':
      return {
        pool: name(r, 'pool'),
        namespace: ns,
        name: optName(r, 'name'),
        ttlSeconds: optInt(r, 'ttlSeconds', 60, 604800),
        env: r['env'] === undefined ? undefined : envMap(r['env'], 'env'),
        labels: r['labels'] === undefined ? undefined : labelMap(r['labels']),
      };
    case 'runCommand': {
      const hasArgv = r['argv'] !== undefined;
      const hasShell = r['shell'] !== undefined;
      if (hasArgv === hasShell) throw new Invalid('give exactly one of argv (program and arguments) and shell (a script for sh -c)');
      let command: { argv: string[] } | { shell: string };
      if (hasArgv) {
        if (!Array.isArray(r['argv']) || r['argv'].length === 0 || !r['argv'].every((a) => typeof a === 'string'))
          throw new Invalid('argv must be a non-empty array of strings');
        if (!r['argv'][0]) throw new Invalid('argv[0] (the program) must not be empty');
        if (r['argv'].some((a) => a.includes('\0'))) throw new Invalid('argv must not contain NUL characters');
        command = { argv: r['argv'] };
      } else {
        if (typeof r['shell'] !== 'string' || !r['shell'].trim()) throw new Invalid('shell must be a non-empty string');
        if (r['shell'].includes('\0')) throw new Invalid('shell must not contain NUL characters');
        command = { shell: r['shell'] };
      }
      const cwd = r['cwd'] === undefined ? undefined : sandboxPath(r['cwd'], 'cwd');
      if (cwd !== undefined && !cwd.startsWith('/')) throw new Invalid('cwd must be an absolute path');
      return {
        sandbox: name(r, 'sandbox'),
        namespace: ns,
        command,
        cwd,
        env: r['env'] === undefined ? {} : envMap(r['env'], 'env'),
        timeoutSeconds: optInt(r, 'timeoutSeconds', 1, MAX_TIMEOUT_SECONDS) ?? DEFAULT_TIMEOUT_SECONDS,
        container: optName(r, 'container'),
      };
    }
    case 'readFile':
      return {
        sandbox: name(r, 'sandbox'),
        namespace: ns,
        path: sandboxPath(r['path'], 'path'),
        encoding: encoding(r['encoding']),
        maxBytes: optInt(r, 'maxBytes', 1, MAX_READ_BYTES) ?? MAX_READ_BYTES,
        container: optName(r, 'container'),
      };
    case 'writeFile': {
      if (typeof r['content'] !== 'string') throw new Invalid('content must be a string');
      const enc = encoding(r['encoding']);
      let content: Uint8Array;
      if (enc === 'base64') {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(r['content'].replace(/\s+/g, ''))) throw new Invalid('content is not valid base64');
        content = Buffer.from(r['content'], 'base64');
      } else content = Buffer.from(r['content'], 'utf8');
      if (content.byteLength > MAX_WRITE_BYTES)
        throw new Invalid(`content is ${content.byteLength} bytes; at most ${MAX_WRITE_BYTES} bytes can be written at once`);
      return { sandbox: name(r, 'sandbox'), namespace: ns, path: sandboxPath(r['path'], 'path'), content, container: optName(r, 'container') };
    }
    case 'listDirectory':
      return {
        sandbox: name(r, 'sandbox'),
        namespace: ns,
        path: r['path'] === undefined ? undefined : sandboxPath(r['path'], 'path'),
        container: optName(r, 'container'),
      };
    case 'hibernateSandbox':
    case 'resumeSandbox':
      return { sandbox: name(r, 'sandbox'), namespace: ns };
    case 'deleteClaim':
      return { claim: name(r, 'claim'), namespace: ns };
    case 'previewPort': {
      const port = optInt(r, 'port', 1, 65535);
      if (port === undefined) throw new Invalid('port is required');
      return { sandbox: name(r, 'sandbox'), namespace: ns, port, container: optName(r, 'container') };
    }
  }
}

function name(r: Raw, key: string): string {
  const v = r[key];
  if (v === undefined || v === '') throw new Invalid(`${key} is required`);
  if (typeof v !== 'string') throw new Invalid(`${key} must be a string`);
  const problem = validateName(v);
  if (problem) throw new Invalid(`${key} "${v.slice(0, 80)}" is not a valid Kubernetes name: ${problem}`);
  return v;
}

function optName(r: Raw, key: string): string | undefined {
  return r[key] === undefined ? undefined : name(r, key);
}

function optInt(r: Raw, key: string, min: number, max: number): number | undefined {
  const v = r[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Invalid(`${key} must be a whole number`);
  if (v < min || v > max) throw new Invalid(`${key} must be between ${min} and ${max} (got ${v})`);
  return v;
}

function encoding(v: unknown): 'utf8' | 'base64' {
  if (v === undefined || v === 'utf8') return 'utf8';
  if (v === 'base64') return 'base64';
  throw new Invalid('encoding must be "utf8" or "base64"');
}

/** A path in the sandbox: no NUL, no ".." segment (the model names what it means, never climbs). */
export function sandboxPath(v: unknown, key: string): string {
  if (typeof v !== 'string' || !v) throw new Invalid(`${key} must be a non-empty string`);
  if (v.includes('\0')) throw new Invalid(`${key} must not contain NUL characters`);
  if (v.length > 4096) throw new Invalid(`${key} is longer than 4096 characters`);
  if (v.split('/').includes('..')) throw new Invalid(`${key} must not contain ".." segments; give the absolute path instead`);
  return v;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envMap(v: unknown, key: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid(`${key} must be an object of NAME: "value" strings`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!ENV_NAME.test(k)) throw new Invalid(`${key} name "${k.slice(0, 60)}" is not a valid variable name (letters, digits, "_", not starting with a digit)`);
    if (typeof val !== 'string') throw new Invalid(`${key}.${k} must be a string`);
    if (val.includes('\0')) throw new Invalid(`${key}.${k} must not contain NUL characters`);
    out[k] = val;
  }
  if (Object.keys(out).length > 100) throw new Invalid(`${key} has more than 100 variables`);
  return out;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function labelMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid('labels must be an object of key: "value" strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!LABEL_KEY.test(k) || k.length > 317) throw new Invalid(`label key "${k.slice(0, 80)}" is not a valid Kubernetes label key`);
    if (k.startsWith('agents.x-k8s.io/')) throw new Invalid(`label key "${k}" is reserved for agent-sandbox`);
    if (typeof val !== 'string' || !LABEL_VALUE.test(val))
      throw new Invalid(`label ${k}: "${String(val).slice(0, 80)}" is not a valid label value (at most 63 letters, digits, "-", "_", ".")`);
    out[k] = val;
  }
  return out;
}
