import * as posix from 'node:path/posix';

/** The URI scheme of sandbox files: agentsandbox://<authority>/<absolute path in the container>. */
export const FILES_SCHEME = 'agentsandbox';

/** Which container's file system a URI means. The sandbox is the Sandbox object (a claim resolves to it). */
export interface FileTarget {
  context: string;
  namespace: string;
  sandbox: string;
  container: string;
}

/**
 * Encodes one authority part so that it survives VS Code's URI handling: VS Code lowercases the
 * authority when it prints a URI and gives `@` and `:` meaning there, so only [a-z0-9-] stay as they
 * are and every other UTF-8 byte becomes `_hh`. Kubernetes names come out unchanged; a context like
 * `arn:aws:eks:…/prod` or `Admin@Prod` is escaped and still decodes exactly.
 */
export function encodePart(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function decodePart(s: string): string {
  if (!/^(?:[a-z0-9-]|_[0-9a-f]{2})*$/.test(s)) throw new Error(`not an encoded name: "${s}"`);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '_') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `<container>.<sandbox>.<namespace>.<context>`, most specific first like a host name. */
export function encodeAuthority(t: FileTarget): string {
  for (const [k, v] of Object.entries(t)) if (!v) throw new Error(`a sandbox file URI needs a ${k}`);
  return [t.container, t.sandbox, t.namespace, t.context].map(encodePart).join('.');
}

export function decodeAuthority(authority: string): FileTarget {
  const parts = authority.toLowerCase().split('.');
  if (parts.length !== 4 || parts.some((p) => !p)) throw new Error(`"${authority}" does not name a sandbox container`);
  const [container = '', sandbox = '', namespace = '', context = ''] = parts.map(decodePart);
  return { context, namespace, sandbox, container };
}

/** An absolute, normalized POSIX path without a trailing slash (except the root itself). */
export function normalizePath(p: string): string {
  if (!p.startsWith('/')) p = `/${p}`;
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentPath(p: string): string {
  return posix.dirname(p);
}

export function baseName(p: string): string {
  return posix.basename(p);
}

export function sameTarget(a: FileTarget, b: FileTarget): boolean {
  return a.context === b.context && a.namespace === b.namespace && a.sandbox === b.sandbox && a.container === b.container;
}

export function targetKey(t: FileTarget): string {
  return encodeAuthority(t);
}

// Characters a URI path may carry as they are (RFC 3986 pchar minus the ones VS Code re-encodes).
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Percent-encodes a path (UTF-8), leaving `/` and the unreserved characters readable. */
export function encodeUriPath(p: string): string {
  let out = '';
  for (const ch of p) {
    if (PATH_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The string form, e.g. for logs and for tests that check a URI survives being written down. */
export function formatUri(t: FileTarget, path: string): string {
  return `${FILES_SCHEME}://${encodeAuthority(t)}${encodeUriPath(normalizePath(path))}`;
}

export function parseUri(uri: string): { target: FileTarget; path: string } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?[^#]*)?(?:#.*)?$/i.exec(uri);
  const [, scheme, authority = '', path] = m ?? [];
  if (scheme?.toLowerCase() !== FILES_SCHEME) throw new Error(`not an ${FILES_SCHEME} URI: ${uri}`);
  return { target: decodeAuthority(authority), path: normalizePath(decodeURIComponent(path || '/')) };
}
