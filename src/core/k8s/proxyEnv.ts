/**
 * The proxy kubectl would use for a server, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either
 * case), the way Go's net/http reads them: loopback hosts never go through a proxy; NO_PROXY
 * entries match the host or any subdomain (a leading dot is optional), `*` disables proxying, and
 * an entry may carry a port.
 */
export function proxyFromEnv(server: URL, env: NodeJS.ProcessEnv): string | undefined {
  const pick = (name: string) => env[name] ?? env[name.toLowerCase()];
  const proxy = server.protocol === 'https:' ? pick('HTTPS_PROXY') : pick('HTTP_PROXY');
  if (!proxy) return undefined;
  const host = bareHost(server.hostname).toLowerCase();
  if (isLoopback(host)) return undefined;
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  for (const raw of (pick('NO_PROXY') ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return undefined;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m || (m[2] && m[2] !== port)) continue;
    const name = bareHost(m[1] ?? '').replace(/^\*?\./, '');
    if (host === name || host.endsWith(`.${name}`)) return undefined;
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** `[::1]` → `::1` (URL keeps the brackets, the socket APIs want them gone). */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

export function isLoopback(host: string): boolean {
  const h = bareHost(host).toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}
