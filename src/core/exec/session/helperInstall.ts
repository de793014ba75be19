import { runScript, PodRef } from '../../files/runner';
import type { ExecResult } from '../status';

/** The helper binaries shipped with the extension, by Go architecture name. */
export interface HelperBundle {
  sha256: Record<'amd64' | 'arm64', string>;
  bytes(arch: 'amd64' | 'arm64'): Promise<Uint8Array>;
}

/** Where the helper lives in one container. */
export interface HelperPlace {
  bin: string;
  sessionsDir: string;
  /**
   * Start a new session from an exec without a TTY before attaching (gVisor: a holder started by
   * an attach inside a TTY exec keeps its shell, but the shell's output never reaches the attach).
   */
  startFirst?: boolean;
}

/** Sessions cannot persist in this container; `reason` is said once in the terminal. */
export class NoPersistence extends Error {}

/**
 * Finds the verified helper in the per-user cache, or says what is missing. Fixed text; the
 * checksums arrive as arguments. Every directory on the way is checked not to be writable by
 * group or others, and the binary's SHA-256 is compared before anything runs it.
 */
export const PREPARE_SCRIPT = `
case "$(uname -m 2>/dev/null)" in x86_64|amd64) a=amd64; s=$1 ;; aarch64|arm64) a=arm64; s=$2 ;; *) echo "ARCH $(uname -m 2>/dev/null)"; exit 0 ;; esac
g=; [ "$(uname -r 2>/dev/null)" = 4.4.0 ] && g=" gvisor"
h=\${HOME:-}
[ -n "$h" ] && [ -d "$h" ] || { echo NOHOME; exit 0; }
command -v sha256sum >/dev/null 2>&1 || { echo NOSHA; exit 0; }
base="$h/.cache/agent-sandbox"; d="$base/bin/$s"
if [ -f "$d/as-session" ]; then
  for p in "$base" "$base/bin" "$d" "$d/as-session"; do
    [ -z "$(find "$p" -maxdepth 0 \\( -perm -0002 -o -perm -0020 \\) 2>/dev/null)" ] || { echo "UNSAFE $p"; exit 0; }
  done
  r=$(sha256sum < "$d/as-session"); r=\${r%% *}
  [ "$r" = "$s" ] && { echo "OK $a$g"; echo "$d/as-session"; echo "$base/sessions"; exit 0; }
fi
echo "NEED $a$g"; echo "$d"; echo "$base/sessions"
`;

/** Writes the helper from stdin ($3 bytes) into $1 (made 0700), checks its SHA-256 ($2), then renames it into place. */
export const INSTALL_SCRIPT = `
d=$1; base=\${d%/*/*}
mkdir -p "$d" 2>/dev/null && chmod 700 "$base" "$base/bin" "$d" 2>/dev/null || { echo "cannot create $d" >&2; exit 3; }
t="$d/.as-session.$$"
head -c "$3" > "$t" || { rm -f "$t"; echo "cannot write $d" >&2; exit 4; }
r=$(sha256sum < "$t"); r=\${r%% *}
[ "$r" = "$2" ] || { rm -f "$t"; echo "checksum mismatch after upload" >&2; exit 5; }
chmod 700 "$t" && mv -f "$t" "$d/as-session" || { rm -f "$t"; exit 6; }
`;

export type PrepareAnswer =
  | { kind: 'ok'; arch: 'amd64' | 'arm64'; bin: string; sessionsDir: string; gvisor: boolean }
  | { kind: 'need'; arch: 'amd64' | 'arm64'; dir: string; sessionsDir: string; gvisor: boolean }
  | { kind: 'unavailable'; reason: string };

/** Reads PREPARE_SCRIPT's answer: a status line, then paths one a line (paths from the sandbox: checked to be absolute and plain). */
export function parsePrepare(stdout: string): PrepareAnswer {
  const [status = '', p1 = '', p2 = ''] = stdout.split('\n');
  const [word, arg = '', flag = ''] = status.split(' ');
  const gvisor = flag === 'gvisor';
  const plain = (p: string) => p.startsWith('/') && !/[\x00-\x1f]/.test(p) && !p.split('/').includes('..');
  const arch = arg === 'amd64' || arg === 'arm64' ? arg : undefined;
  switch (word) {
    case 'OK':
      if (arch && plain(p1) && plain(p2)) return { kind: 'ok', arch, bin: p1, sessionsDir: p2, gvisor };
      break;
    case 'NEED':
      if (arch && plain(p1) && plain(p2)) return { kind: 'need', arch, dir: p1, sessionsDir: p2, gvisor };
      break;
    case 'ARCH':
      return { kind: 'unavailable', reason: `no session helper for the ${arg.slice(0, 40) || 'unknown'} architecture` };
    case 'NOHOME':
      return { kind: 'unavailable', reason: 'the container has no home directory' };
    case 'NOSHA':
      return { kind: 'unavailable', reason: 'the container has no sha256sum to verify the session helper' };
    case 'UNSAFE':
      return { kind: 'unavailable', reason: `${status.slice(7, 300)} is writable by others, so the session helper is not run from it` };
  }
  return { kind: 'unavailable', reason: `unexpected answer from the container: ${JSON.stringify(stdout.slice(0, 120))}` };
}

/** Why a helper exec failed: its last stderr line, else the exit code or the exec's own message. */
export function failure(r: ExecResult, stderr: string): string {
  const why = stderr.trim().split('\n').pop() ?? '';
  if (r.kind === 'exited') return why || `exit code ${r.code}`;
  return r.message;
}

/**
 * Makes sure the helper is in the container, verified; uploads it when `upload` allows. Throws
 * NoPersistence (with the reason for the terminal) when sessions cannot persist there, or under
 * gVisor unless `gvisor` allows it (before anything is uploaded).
 */
export async function ensureHelper(pod: PodRef, bundle: HelperBundle, upload: boolean, signal?: AbortSignal, gvisor = true): Promise<HelperPlace> {
  const probe = await runScript(pod, {
    script: PREPARE_SCRIPT,
    args: [bundle.sha256.amd64, bundle.sha256.arm64],
    maxStdout: 16 * 1024,
    idleTimeoutMs: 20_000,
    signal,
  });
  if (probe.result.kind !== 'exited' || probe.result.code !== 0) {
    if (probe.result.kind === 'failed' && /not found|no such file/i.test(probe.result.message)) throw new NoPersistence('the container has no sh');
    throw new Error(`checking for the session helper failed: ${failure(probe.result, probe.stderr.toString('utf8'))}`);
  }
  const answer = parsePrepare(probe.stdout.toString('utf8'));
  if (answer.kind === 'unavailable') throw new NoPersistence(answer.reason);
  if (answer.gvisor && !gvisor) throw new NoPersistence('they are turned off under gVisor (agentSandbox.terminal.persistentSessionsUnderGVisor)');
  const startFirst = answer.gvisor ? { startFirst: true } : {};
  if (answer.kind === 'ok') return { bin: answer.bin, sessionsDir: answer.sessionsDir, ...startFirst };
  if (!upload) throw new NoPersistence('uploading the session helper is turned off (agentSandbox.terminal.uploadHelper)');
  const bytes = await bundle.bytes(answer.arch);
  const put = await runScript(pod, {
    script: INSTALL_SCRIPT,
    args: [answer.dir, bundle.sha256[answer.arch], String(bytes.byteLength)],
    input: bytes,
    idleTimeoutMs: 30_000,
    signal,
  });
  if (put.result.kind !== 'exited' || put.result.code !== 0) {
    const why = failure(put.result, put.stderr.toString('utf8'));
    if (put.result.kind === 'exited' && (put.result.code === 3 || put.result.code === 4)) throw new NoPersistence(`${why} (read-only file system?)`);
    throw new Error(`uploading the session helper failed: ${why}`);
  }
  return { bin: `${answer.dir}/as-session`, sessionsDir: answer.sessionsDir, ...startFirst };
}

/** Argv that starts session `id` when it does not exist, without attaching. */
export function startArgv(place: HelperPlace, id: string, shellArgv: string[]): string[] {
  return [place.bin, 'start', place.sessionsDir, id, '--', ...shellArgv];
}

/** Argv that attaches to (or starts) session `id`, the shell chosen by the probe's argv. */
export function attachArgv(place: HelperPlace, id: string, since: number, shellArgv: string[]): string[] {
  return [place.bin, 'attach', place.sessionsDir, id, String(Math.max(0, Math.floor(since))), '--', ...shellArgv];
}
