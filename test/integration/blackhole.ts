// Silently drops this process's established TCP connections to one API server port (loopback
// only), as a laptop sleep or a VPN change does: packets vanish, no FIN, no RST. Every rule
// carries the tag as-test-drop-<pid>, so it is removed afterwards (restore(), process exit, a
// detached sentinel that outlives a killed test, and a sweep of dead processes' rules on the next
// run). Rules are only ever added for the given ports and never flushed: other clusters on this
// machine are untouched.
import { execFileSync, spawn, spawnSync } from 'node:child_process';

const TAG_PREFIX = 'as-test-drop-';
const tag = `${TAG_PREFIX}${process.pid}`;

function iptables(args: string[]): void {
  execFileSync('iptables', ['-w', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Why this machine cannot run the drop (no iptables, no permission), or undefined when it can. */
export function blackholeSkipReason(): string | undefined {
  const r = spawnSync('iptables', ['-w', '-S', 'OUTPUT'], { encoding: 'utf8' });
  if (r.error) return `iptables is not available (${r.error.message})`;
  if (r.status !== 0) return `iptables cannot be used here: ${r.stderr.trim()}`;
  if (spawnSync('ss', ['-V']).error) return 'ss (iproute2) is not available';
  return undefined;
}

/** Removes rules left by test processes that no longer exist (killed before their cleanup ran). */
export function sweepStaleRules(): void {
  const rules = spawnSync('iptables', ['-w', '-S', 'OUTPUT'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of rules.split('\n')) {
    const m = new RegExp(`--comment ${TAG_PREFIX}(\\d+) `).exec(`${line} `);
    if (!m || isAlive(Number(m[1]))) continue;
    iptables(['-D', ...line.replace(/^-A /, '').split(' ')]);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Local ports of this process's established connections to 127.0.0.1:apiPort. */
export function establishedLocalPorts(apiPort: number): number[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${apiPort} )`], { encoding: 'utf8' });
  const ports: number[] = [];
  for (const line of out.split('\n')) {
    if (!line.includes(`pid=${process.pid},`)) continue;
    const m = /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:(\d+)/.exec(line);
    if (m && Number(m[2]) === apiPort) ports.push(Number(m[1]));
  }
  return ports;
}

let sentinel = false;
function startSentinel(): void {
  if (sentinel) return;
  sentinel = true;
  // Fixed script, data as arguments: waits for this process to end, then deletes its tagged rules.
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; iptables -w -S OUTPUT | grep -F -- "--comment $2 " | sed "s/^-A /-D /" | while read -r rule; do iptables -w $rule; done';
  spawn('sh', ['-c', script, 'sh', String(process.pid), tag], { detached: true, stdio: 'ignore' }).unref();
  process.once('exit', removeAll);
}

const added: string[][] = [];
function removeAll(): void {
  while (added.length) {
    const rule = added.pop()!;
    spawnSync('iptables', ['-w', '-D', ...rule]);
  }
}

/** Drops (both directions) every connection this process has open to the API server now; new connections still work. */
export function dropEstablished(apiPort: number): { ports: number[]; restore(): void } {
  startSentinel();
  const ports = establishedLocalPorts(apiPort);
  const mine: string[][] = [];
  for (const p of ports) {
    for (const [sport, dport] of [
      [p, apiPort],
      [apiPort, p],
    ]) {
      const rule = [
        'OUTPUT',
        '-o',
        'lo',
        '-s',
        '127.0.0.1',
        '-d',
        '127.0.0.1',
        '-p',
        'tcp',
        '--sport',
        String(sport),
        '--dport',
        String(dport),
        '-m',
        'comment',
        '--comment',
        tag,
        '-j',
        'DROP',
      ];
      iptables(['-I', ...rule]);
      added.push(rule);
      mine.push(rule);
    }
  }
  return {
    ports,
    restore: () => {
      for (const rule of mine) {
        const i = added.indexOf(rule);
        if (i >= 0) added.splice(i, 1);
        spawnSync('iptables', ['-w', '-D', ...rule]);
      }
    },
  };
}
