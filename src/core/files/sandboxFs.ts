import { randomBytes } from 'node:crypto';
import type { ActivityKind, ActivityTracker } from '../finops/activity';
import { KubeError } from '../k8s/errors';
import type { ExecResult } from '../exec/status';
import type { Logger } from '../logging/logger';
import { silentLogger } from '../logging/logger';
import { unaddressablePath } from './entryName';
import { errorFromExecResult, errorFromExit, errorFromOpen, EXIT, formatBytes, SandboxFileError } from './errors';
import { DirEntry, FileInfo, ListingParseError, parseListing, parseStat, splitNul, Strategy } from './listing';
import { LocatedPod, PodLocator, specWorkingDir } from './locator';
import { KeyedLimiter } from './queue';
import { ByteSource, runScript, RunOptions, RunResult, sourceSize } from './runner';
import {
  CLEANUP_SCRIPT,
  COPY_SCRIPT,
  DELETE_SCRIPT,
  LIST_SCRIPT,
  MKDIR_SCRIPT,
  PWD_SCRIPT,
  READ_SCRIPT,
  RENAME_SCRIPT,
  STAT_SCRIPT,
  WRITE_SCRIPT,
} from './scripts';
import { FileTarget, normalizePath, targetKey } from './uri';

export interface SandboxFsOptions {
  /** Parallel execs per sandbox container. */
  maxParallel?: number;
  /** A read with no bytes for this long is abandoned (a /proc file that blocks, a dead node). */
  readIdleTimeoutMs?: number;
  /** Metadata operations (stat, list, mkdir, rm…) give up after this long without output. */
  opIdleTimeoutMs?: number;
  log?: Logger;
  /** Each exec (but stat's) holds its sandbox awake while it runs: a long upload is use (auto-hibernate). */
  activity?: Pick<ActivityTracker, 'hold'>;
}

/** What each script counts as; stat, pwd and cleanup are not use (VS Code polls stat). */
const USE: ReadonlyMap<string, ActivityKind> = new Map([
  [READ_SCRIPT, 'file-read'],
  [LIST_SCRIPT, 'file-read'],
  [WRITE_SCRIPT, 'file-write'],
  [MKDIR_SCRIPT, 'file-write'],
  [DELETE_SCRIPT, 'file-write'],
  [RENAME_SCRIPT, 'file-write'],
  [COPY_SCRIPT, 'file-write'],
]);

export interface WriteOptions {
  create: boolean;
  overwrite: boolean;
  /** The content the file must still have (contentVersion); otherwise the save is refused as Modified. */
  expect?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?(sent: number, total: number): void;
}

interface PendingCleanup {
  path: string;
  token: string;
  pid: string;
}

/** Core file operations inside a sandbox container, over exec; free of VS Code. */
export class SandboxFileSystem {
  private readonly limiter: KeyedLimiter;
  private readonly strategies = new Map<string, Strategy>();
  /** How WRITE_SCRIPT copies stdin in each container: dd in big blocks (d) or head -c (h). */
  private readonly copiers = new Map<string, 'd' | 'h'>();
  private readonly workdirs = new Map<string, string>();
  /** Writes cut off from their client, to stop once the container can be reached (per pod key). */
  private readonly pendingCleanups = new Map<string, PendingCleanup[]>();
  private readonly log: Logger;
  private readonly readIdleMs: number;
  private readonly opIdleMs: number;
  private readonly activity: Pick<ActivityTracker, 'hold'> | undefined;

  constructor(
    readonly locator: PodLocator,
    opts: SandboxFsOptions = {},
  ) {
    this.limiter = new KeyedLimiter(opts.maxParallel ?? 4);
    this.log = opts.log ?? silentLogger;
    this.readIdleMs = opts.readIdleTimeoutMs ?? 30_000;
    this.opIdleMs = opts.opIdleTimeoutMs ?? 120_000;
    this.activity = opts.activity;
  }

  async stat(t: FileTarget, path: string): Promise<FileInfo> {
    const p = addressable(path);
    const { r, pod } = await this.checked(t, p, (hint) => ({ script: STAT_SCRIPT, args: [hint, p], idleTimeoutMs: this.opIdleMs }), [0]);
    try {
      const { strategy, info } = parseStat(r.stdout);
      this.strategies.set(pod.key, strategy);
      return info;
    } catch (err) {
      throw this.parseFailure(err, p, r);
    }
  }

  async list(t: FileTarget, dir: string): Promise<DirEntry[]> {
    const p = addressable(dir);
    // find exits 1 when one entry vanished or could not be read, after listing all the others.
    const { r, pod } = await this.checked(t, p, (hint) => ({ script: LIST_SCRIPT, args: [hint, p], idleTimeoutMs: this.opIdleMs }), [0, 1]);
    try {
      if (r.result.kind === 'exited' && r.result.code !== 0 && (r.stdout.subarray(0, 2).toString() !== 'F\0' || r.stdout.length === 2)) {
        // Nothing listed at all: not a vanished entry but a find that cannot do the job; probe again next time.
        this.strategies.delete(pod.key);
        throw errorFromExit(r.result.code, p, r.stderr.toString('utf8'));
      }
      const { strategy, entries } = parseListing(r.stdout);
      this.strategies.set(pod.key, strategy);
      return entries;
    } catch (err) {
      throw this.parseFailure(err, p, r);
    }
  }

  /** Reads a regular file whole; refuses special files and files above maxBytes (TooLarge, size named). */
  async read(t: FileTarget, path: string, opts: { maxBytes?: number; signal?: AbortSignal | undefined } = {}): Promise<Uint8Array> {
    const p = addressable(path);
    const max = opts.maxBytes ?? -1;
    const guard = max >= 0 ? max + Math.max(1 << 20, max / 10) : undefined;
    const { r } = await this.checked(
      t,
      p,
      { script: READ_SCRIPT, args: [p, String(max)], idleTimeoutMs: this.readIdleMs, maxStdout: guard, signal: opts.signal },
      [0],
    );
    return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength);
  }

  /** Streams a regular file to `sink` without a size limit (Download). */
  async readTo(t: FileTarget, path: string, sink: (chunk: Buffer) => void, signal?: AbortSignal): Promise<void> {
    const p = addressable(path);
    await this.checked(t, p, { script: READ_SCRIPT, args: [p, '-1'], idleTimeoutMs: this.readIdleMs, onStdout: sink, signal }, [0]);
  }

  /**
   * Saves atomically: the bytes go to a temporary file beside the target, which is renamed over it
   * only once every byte has arrived, with the target's mode and owner. A lost connection leaves the
   * target as it was and throws Unavailable.
   */
  async write(t: FileTarget, path: string, data: ByteSource, opts: WriteOptions): Promise<{ created: boolean }> {
    const p = addressable(path);
    if (p === '/') throw new SandboxFileError('FileIsADirectory', '/ is a directory', p);
    const size = sourceSize(data);
    const token = `as-${randomBytes(6).toString('hex')}.tmp`;
    const flags = `${opts.create ? 'c' : ''}${opts.overwrite ? 'o' : ''}` || '-';
    // The script reports strategy, existed, its copier's pid and kind (d: dd, h: head) as it starts.
    const out: Buffer[] = [];
    try {
      const { pod } = await this.checked(
        t,
        p,
        (hint, copier) => ({
          script: WRITE_SCRIPT,
          args: [hint, p, token, String(size), flags, opts.expect ?? '-', copier],
          input: data,
          onStdout: (c) => out.push(c),
          idleTimeoutMs: this.opIdleMs,
          signal: opts.signal,
          onInputProgress: opts.onProgress ? (n) => opts.onProgress?.(n, size) : undefined,
        }),
        [0],
      );
      const [strategy, existed, , copier] = splitNul(Buffer.concat(out));
      if (strategy === 'F' || strategy === 'S' || strategy === 'P') this.strategies.set(pod.key, strategy);
      if (copier === 'd' || copier === 'h') this.copiers.set(pod.key, copier);
      return { created: existed === '0' };
    } catch (err) {
      if (err instanceof SandboxFileError && err.code === 'Unavailable' && !err.hibernated) {
        const [, , pid] = splitNul(Buffer.concat(out));
        await this.cleanUpWrite(t, { path: p, token, pid: pid && /^\d+$/.test(pid) ? pid : '-' });
        throw new SandboxFileError(
          'Unavailable',
          `${p} may not have been saved: ${err.message}. The file in the sandbox is either unchanged or completely replaced, never partly written.`,
          p,
        );
      }
      throw err;
    }
  }

  /**
   * After a lost connection some exec servers (KWOK; kubelets vary) never end the process's stdin,
   * so the write would wait forever holding a half-written temporary file. Stop it and remove the
   * file now, or on the next operation in that container if the sandbox cannot be reached yet.
   */
  private async cleanUpWrite(t: FileTarget, w: PendingCleanup): Promise<void> {
    let pod: LocatedPod | undefined;
    try {
      pod = await this.locator.locate(t);
      const r = await runScript(pod, { script: CLEANUP_SCRIPT, args: [w.path, w.token, w.pid], idleTimeoutMs: 30_000 });
      if (exitCodeOf(r.result) === 0) return;
      throw new Error(r.result.kind === 'exited' ? `exit ${r.result.code}` : r.result.message);
    } catch (err) {
      this.log.info(`cleanup of the interrupted save of ${w.path} deferred: ${err instanceof Error ? err.message : String(err)}`);
      const key = pod?.key ?? targetKey(t);
      this.pendingCleanups.set(key, [...(this.pendingCleanups.get(key) ?? []), w]);
    }
  }

  async mkdir(t: FileTarget, path: string, opts: { parents?: boolean } = {}): Promise<void> {
    const p = addressable(path);
    await this.checked(t, p, { script: MKDIR_SCRIPT, args: [p, opts.parents ? 'p' : '-'], idleTimeoutMs: this.opIdleMs }, [0]);
  }

  async delete(t: FileTarget, path: string, opts: { recursive: boolean }): Promise<void> {
    const p = addressable(path);
    if (p === '/') throw new SandboxFileError('NoPermissions', 'Refusing to delete /', p);
    await this.checked(t, p, { script: DELETE_SCRIPT, args: [p, opts.recursive ? 'r' : '-'], idleTimeoutMs: this.opIdleMs }, [0]);
  }

  async rename(t: FileTarget, from: string, to: string, opts: { overwrite: boolean }): Promise<void> {
    const [a, b] = this.movePaths(from, to, 'move');
    await this.checked(t, a, { script: RENAME_SCRIPT, args: [a, b, opts.overwrite ? 'o' : '-'], idleTimeoutMs: this.opIdleMs }, [0]);
  }

  async copy(t: FileTarget, from: string, to: string, opts: { overwrite: boolean }): Promise<void> {
    const [a, b] = this.movePaths(from, to, 'copy');
    const { r } = await this.checked(t, a, { script: COPY_SCRIPT, args: [a, b, opts.overwrite ? 'o' : '-'], idleTimeoutMs: this.opIdleMs }, [0, 71]);
    if (r.result.kind === 'exited' && r.result.code === 71) {
      // cp -p as a non-root user may fail only to give copies their owner back: the copy is there.
      const lines = r.stderr
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim());
      if (!lines.length || !lines.every((l) => /preserv|ownership/i.test(l))) throw errorFromExit(EXIT.noPermission, b, r.stderr.toString('utf8'));
      this.log.info(`copy ${a} → ${b}: ${lines[0]}`);
    }
  }

  /**
   * The directory the Files node opens at: the template's workingDir, else the shell's working
   * directory in the container (the image's WORKDIR), else /.
   */
  async workingDirectory(t: FileTarget): Promise<string> {
    const pod = await this.locator.locate(t);
    const fromSpec = specWorkingDir(pod.sandbox, t.container);
    if (fromSpec) return normalizePath(fromSpec);
    const cached = this.workdirs.get(pod.key);
    if (cached) return cached;
    try {
      const { r } = await this.checked(t, '/', { script: PWD_SCRIPT, args: [], idleTimeoutMs: 30_000 }, [0]);
      const dir = r.stdout.toString('utf8').trim();
      const result = dir.startsWith('/') ? normalizePath(dir) : '/';
      this.workdirs.set(pod.key, result);
      return result;
    } catch (err) {
      this.log.debug(`working directory of ${t.sandbox}: ${err instanceof Error ? err.message : String(err)}`);
      return '/';
    }
  }

  private movePaths(from: string, to: string, verb: string): [string, string] {
    const a = addressable(from);
    const b = addressable(to);
    if (a === '/' || b === '/') throw new SandboxFileError('NoPermissions', `Cannot ${verb} the root directory`, a);
    if (b.startsWith(`${a}/`)) throw new SandboxFileError('NoPermissions', `Cannot ${verb} ${a} into itself`, b);
    if (a.startsWith(`${b}/`)) throw new SandboxFileError('NoPermissions', `Cannot ${verb} ${a} over its own parent ${b}`, b);
    return [a, b];
  }

  /** Runs a script through the per-container queue and turns every failure into a SandboxFileError. */
  private async checked(
    t: FileTarget,
    path: string,
    options: RunOptions | ((strategyHint: string, copierHint: string) => RunOptions),
    okCodes: number[],
    retried = false,
  ): Promise<{ r: RunResult; pod: LocatedPod }> {
    const pod = await this.locator.locate(t);
    // The listing strategy (and write copier) found earlier in this container, passed back so the script skips its probe.
    const o = typeof options === 'function' ? options(this.strategies.get(pod.key) ?? '-', this.copiers.get(pod.key) ?? '-') : options;
    const pending = this.pendingCleanups.get(pod.key) ?? this.pendingCleanups.get(targetKey(t));
    if (pending) {
      this.pendingCleanups.delete(pod.key);
      this.pendingCleanups.delete(targetKey(t));
      for (const w of pending) await this.cleanUpWrite(t, w);
    }
    let stalePod = false;
    const use = USE.get(o.script);
    const outcome = await this.limiter
      .run(pod.key, async () => {
        let r: RunResult;
        const held = use && this.activity?.hold({ context: t.context, namespace: t.namespace, sandbox: t.sandbox }, use);
        try {
          r = await runScript(pod, o);
        } catch (err) {
          if (err instanceof KubeError && (err.isNotFound || err.reason === 'PodNotRunning' || err.reason === 'ContainerNotFound')) {
            // The pod we remembered is gone (hibernated, replaced): nothing ran, so ask again below.
            this.locator.invalidate(t);
            stalePod = true;
          }
          throw errorFromOpen(err, path);
        } finally {
          held?.dispose();
        }
        const code = exitCodeOf(r.result);
        if (code === undefined) {
          this.locator.invalidate(t);
          if (o.signal?.aborted && r.result.kind === 'lost')
            throw new SandboxFileError('Unavailable', `The connection to ${pod.label} was cut while working on ${path}`, path);
          throw errorFromExecResult(r.result as Exclude<ExecResult, { kind: 'exited' }>, path, pod.label);
        }
        if (!okCodes.includes(code)) throw errorFromExit(code, path, r.stderr.toString('utf8'), r.stdout.toString('utf8', 0, Math.min(r.stdout.length, 200)));
        return { r: { ...r, result: { kind: 'exited', code } satisfies ExecResult }, pod };
      })
      .catch(async (err: unknown) => {
        if (!stalePod || retried) throw err;
        // Either the sandbox now explains itself (hibernated…) or it has a new pod to try once.
        const again = await this.locator.locate(t);
        if (again.pod === pod.pod) throw err;
        return undefined;
      });
    return outcome ?? this.checked(t, path, options, okCodes, true);
  }

  private parseFailure(err: unknown, path: string, r: RunResult): Error {
    if (err instanceof SandboxFileError) return err;
    const detail = err instanceof ListingParseError ? err.message : String(err);
    this.log.warn(`unreadable output for ${path}: ${detail}; stderr: ${r.stderr.toString('utf8').slice(0, 300)}`);
    return new SandboxFileError('Unknown', `Could not read the listing of ${path}: ${detail}`, path);
  }
}

/** A normalized path, or NoPermissions (before any exec) for one that stands for a name that was not UTF-8. */
function addressable(path: string): string {
  const p = normalizePath(path);
  const why = unaddressablePath(p);
  if (why) throw new SandboxFileError('NoPermissions', why, p);
  return p;
}

/**
 * The exit code, also when the server reports it as a failure message ("command terminated with
 * non-zero exit code: exit status 2"), as some kubelets and KWOK versions do.
 */
export function exitCodeOf(result: ExecResult): number | undefined {
  if (result.kind === 'exited') return result.code;
  if (result.kind === 'failed') {
    const m = /exit (?:status|code)[: ]+(\d+)/i.exec(result.message);
    if (m) return Number(m[1]);
  }
  return undefined;
}

export { formatBytes };
