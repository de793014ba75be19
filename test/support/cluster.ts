// The local test cluster as seen from outside the extension: the env file test/cluster/up.sh
// writes, and kubectl against it. Starting the cluster is the caller's business.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** up.sh's run directory (the same default as test/cluster/lib.sh: an empty value means unset). */
export const CLUSTER_RUN_DIR = process.env['AS_CLUSTER_RUN'] || '/dev/shm/agent-sandbox-vscode';
/** Where test/cluster/up.sh writes `KUBECONFIG=…` and the other keys. */
export const CLUSTER_ENV_FILE = path.join(CLUSTER_RUN_DIR, 'env');

/** Reads test/cluster/up.sh's env file (KEY=VALUE lines). Throws when the cluster is not up. */
export function clusterEnv(file = CLUSTER_ENV_FILE): Record<string, string> {
  if (!fs.existsSync(file)) {
    throw new Error(`the local cluster is not up (${file} is missing): run \`npm run cluster:up\``);
  }
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  if (!env['KUBECONFIG']) throw new Error(`${file} has no KUBECONFIG=`);
  return env;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (`apply -f -`). */
  input?: string;
  /** A context of the cluster's kubeconfig other than its current one. */
  context?: string;
  /** Milliseconds before kubectl is killed; default 60 s. */
  timeout?: number;
}

/** Runs kubectl against the local cluster "from outside" the extension. Throws on failure. */
export function kubectl(args: string[], opts: KubectlOptions = {}): string {
  const { KUBECONFIG, KUBECTL } = clusterEnv();
  const full = [...(opts.context ? ['--context', opts.context] : []), ...args];
  const res = spawnSync(KUBECTL && fs.existsSync(KUBECTL) ? KUBECTL : 'kubectl', full, {
    env: { ...process.env, KUBECONFIG },
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeout ?? 60_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(`kubectl ${full.join(' ')} failed: ${res.error?.message ?? res.stderr.trim()}`);
  }
  return res.stdout;
}
