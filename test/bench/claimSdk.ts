// bench:claim's link to the upstream Python SDK: a venv in the project cache with
// k8s-agent-sandbox from PyPI (made on first run), and claim_sdk.py driven over stdin/stdout, one
// JSON line per claim. The process lives for the whole run, so its connection stays warm.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cacheDir } from '../../scripts/cache.mjs';

export const SDK_PACKAGE = 'k8s-agent-sandbox';
export const SDK_VERSION = '1.0.8';

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? `exit ${r.status}`}`);
}

/** The venv's python, with the SDK at SDK_VERSION (installing it when missing or another version). */
export function ensureSdkVenv(venv = join(cacheDir(), 'bench-venv')): string {
  const python = join(venv, 'bin', 'python');
  const installed = existsSync(python)
    ? spawnSync(python, ['-c', `from importlib.metadata import version; print(version("${SDK_PACKAGE}"))`], { encoding: 'utf8' }).stdout?.trim()
    : undefined;
  if (installed === SDK_VERSION) return python;
  console.log(`bench:claim: installing ${SDK_PACKAGE}==${SDK_VERSION} into ${venv}`);
  if (!existsSync(python)) run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `${SDK_PACKAGE}==${SDK_VERSION}`]);
  return python;
}

export interface SdkClaim {
  ms: number;
  claim: string;
  sandbox: string;
}

/** One long-lived claim_sdk.py process; claim() sends one request and resolves with its answer line. */
export class SdkDriver {
  private readonly proc: ChildProcess;
  private readonly waiting: { resolve: (line: Record<string, unknown>) => void; reject: (err: Error) => void }[] = [];
  private exited: Error | undefined;
  readonly ready: Promise<string>;

  constructor(python: string, kubeconfig: string, context: string, namespace: string, pool: string) {
    this.proc = spawn(python, [join(__dirname, 'claim_sdk.py'), kubeconfig, context, namespace, pool], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        console.log(`[sdk] ${line}`); // a stray print from a library: show it, it is not an answer
        return;
      }
      this.waiting.shift()?.resolve(msg);
    });
    const fail = (err: Error) => {
      this.exited ??= err;
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    };
    this.proc.on('exit', (code, signal) => fail(new Error(`claim_sdk.py exited (${signal ?? `code ${code}`})`)));
    this.proc.on('error', (err) => fail(new Error(`claim_sdk.py: ${err.message}`)));
    this.proc.stdin!.on('error', (err) => fail(new Error(`claim_sdk.py's stdin: ${err.message}`))); // EPIPE once it died
    this.ready = this.next().then((m) => String(m['version']));
  }

  private next(): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async claim(timeoutS: number, labels: Record<string, string>): Promise<SdkClaim> {
    if (this.exited) throw this.exited;
    const answer = this.next();
    this.proc.stdin!.write(`${JSON.stringify({ timeout: timeoutS, labels })}\n`);
    const m = await answer;
    if (typeof m['error'] === 'string') throw new Error(`SDK: ${m['error']}`);
    return { ms: Number(m['ms']), claim: String(m['claim']), sandbox: String(m['sandbox']) };
  }

  close(): void {
    this.exited ??= new Error('the SDK driver was closed');
    this.proc.stdin?.end();
    this.proc.kill();
  }
}
