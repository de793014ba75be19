/**
 * Ports a sandbox listens on, read from inside it: /proc/net/tcp and /proc/net/tcp6 list the
 * sockets of its network namespace; /proc/<pid>/fd/* links ("socket:[inode]") name the process
 * that owns each one, when it is readable. One exec round trip, no tools beyond sh and cat.
 */
export interface ListeningPort {
  port: number;
  /** The bound address: '0.0.0.0' / '::' (every address), a loopback address, or the pod IP. */
  address: string;
  /** The owning process' name (/proc/<pid>/comm), when the sandbox let us read it. */
  process?: string;
}

/** Fixed script text; prints the two tables, then "inode pid comm" lines. */
export const LISTENING_PORTS_COMMAND: readonly string[] = [
  'sh',
  '-c',
  [
    'echo "#tcp"; cat /proc/net/tcp 2>/dev/null',
    'echo "#tcp6"; cat /proc/net/tcp6 2>/dev/null',
    'echo "#fds"',
    'for f in /proc/[0-9]*/fd/*; do l=$(readlink "$f" 2>/dev/null) || continue; case "$l" in socket:*) p=${f#/proc/}; p=${p%%/*}; c=$(cat "/proc/$p/comm" 2>/dev/null); echo "${l#socket:} $p $c";; esac; done',
    'exit 0',
  ].join('; '),
];

const LISTEN = '0A';

/** "0100007F" (little-endian IPv4) → "127.0.0.1". */
function ipv4(hex: string): string {
  const n = parseInt(hex, 16) >>> 0;
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

/** 32 hex digits, four little-endian 32-bit words → compressed IPv6 (IPv4-mapped shown as IPv4). */
function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16)); // 16 bytes from 32 hex digits
  // The URL parser prints IPv6 in its canonical compressed form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Parses the script's output into listening TCP ports, sorted by port, one entry per port and address. */
export function parseListeningPorts(output: string): ListeningPort[] {
  let section = '';
  const sockets: { port: number; address: string; inode: string }[] = [];
  const owners = new Map<string, string>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      section = line.slice(1);
      continue;
    }
    if (!line) continue;
    if (section === 'fds') {
      const [inodeField, , ...comm] = line.split(/\s+/);
      const inode = inodeField?.replace(/^\[|\]$/g, '');
      if (inode && comm.length && !owners.has(inode)) owners.set(inode, comm.join(' '));
      continue;
    }
    if (section !== 'tcp' && section !== 'tcp6') continue;
    const f = line.split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    if (!/^\d+:$/.test(f[0] ?? '') || f[3] !== LISTEN || f.length < 10) continue;
    const [addrHex, portHex] = f[1]!.split(':'); // f.length >= 10, checked above
    const port = parseInt(portHex ?? '', 16);
    if (!addrHex || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    const address = addrHex.length === 8 ? ipv4(addrHex) : addrHex.length === 32 ? ipv6(addrHex) : undefined;
    if (!address) continue;
    sockets.push({ port, address, inode: f[9]! });
  }
  const seen = new Set<string>();
  const out: ListeningPort[] = [];
  for (const s of sockets) {
    const key = `${s.address} ${s.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const process = owners.get(s.inode);
    out.push(process ? { port: s.port, address: s.address, process } : { port: s.port, address: s.address });
  }
  return out.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

/**
 * The ports that belong to this sandbox: bound to every address, to its pod IP, or to loopback.
 * On a real pod the tables are the pod's own; keeping only these also drops the neighbours' sockets
 * where sandboxes share one network namespace with their node (local test clusters).
 */
export function sandboxPorts(all: ListeningPort[], podIPs: readonly string[]): ListeningPort[] {
  return all.filter((p) => isWildcard(p.address) || podIPs.includes(p.address) || (podIPs.length === 0 && isLoopback(p.address)));
}

/** Whether something outside the pod (the router) can reach a listener at this address. */
export function reachableFromOutside(p: ListeningPort, podIPs: readonly string[]): boolean {
  return isWildcard(p.address) || podIPs.includes(p.address);
}

/** "8000 · python3 · 127.245.0.2" for lists and tooltips. */
export function describePort(p: ListeningPort): string {
  return [String(p.port), p.process, isWildcard(p.address) ? 'all addresses' : p.address].filter(Boolean).join(' · ');
}
