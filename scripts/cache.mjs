// The project cache (everything installed or built on first use lives here, outside the repo) and
// the environment nested installs run with.
//
//   AGENT_SANDBOX_CACHE   the whole project cache; default ~/.cache/agent-sandbox-vscode
//                         (older names still honoured: AGENT_SANDBOX_VSCODE_CACHE for the whole
//                         cache, AS_CLUSTER_CACHE for the cluster part only)
//   --cold                (npm start / npm test / doctor) use a brand-new empty cache for this run
//
// Every cached artefact records a hash of the recipe that made it (versions + the text of the code
// that builds it) and is rebuilt when the recipe differs; see recipeHash().

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_CACHE = path.join(os.homedir(), '.cache', 'agent-sandbox-vscode');

/** The project cache folder (read each time, so --cold can change it before anything installs). */
export function cacheDir(env = process.env) {
  return env.AGENT_SANDBOX_CACHE || env.AGENT_SANDBOX_VSCODE_CACHE || DEFAULT_CACHE;
}

/** Where test/cluster/*.sh keep their binaries (the same rule as test/cluster/lib.sh). */
export function clusterCacheDir(env = process.env) {
  return env.AS_CLUSTER_CACHE || path.join(cacheDir(env), 'cluster');
}

/**
 * With `--cold` among the arguments: points AGENT_SANDBOX_CACHE (and so every install and build of
 * this process and its children) at a new empty folder, and returns it. Go's own module and build
 * caches (~/go/pkg/mod, ~/.cache/go-build) are not ours and stay as they are.
 */
export function applyCold(argv = process.argv) {
  if (!argv.includes('--cold')) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-sandbox-cold-'));
  process.env.AGENT_SANDBOX_CACHE = dir;
  delete process.env.AGENT_SANDBOX_VSCODE_CACHE;
  delete process.env.AS_CLUSTER_CACHE;
  process.stderr.write(`[cache] --cold: every install and build of this run goes into ${dir} (remove it afterwards)\n`);
  return dir;
}

/** Short hex hash of a recipe's parts (versions, function source text, file contents). */
export function recipeHash(...parts) {
  const h = crypto.createHash('sha256');
  for (const p of parts)
    h.update(
      `${String(p)
        .split('\n')
        .filter((l) => !/^\s*\/\//.test(l))
        .join('\n')}\0`,
    );
  return h.digest('hex').slice(0, 12);
}

// npm exports these to every script it runs. They describe the *outer* npm and Node (for example
// `npm_config_user_agent=npm/11 node/v20…`, which code-server's postinstall reads as "the Node you
// use"), so a nested install under another Node must not inherit them. User settings that hold
// whatever the Node (npm_config_registry, _cache, proxies, cafile, …) are kept.
const LYING_NPM_CONFIG = new Set(['user_agent', 'node_gyp', 'npm_version', 'local_prefix', 'global_prefix', 'prefix', 'globalconfig', 'nodedir']);

/**
 * A copy of `env` without what an outer `npm run` added about itself: npm_lifecycle_*,
 * npm_package_*, npm_execpath, npm_node_execpath, npm_command, NODE, INIT_CWD, the npm_config_*
 * keys above, and the node_modules/.bin and node-gyp-bin folders npm put on PATH.
 */
export function cleanNpmEnv(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const lower = k.toLowerCase();
    if (lower.startsWith('npm_config_')) {
      if (LYING_NPM_CONFIG.has(lower.slice('npm_config_'.length).replace(/-/g, '_'))) continue;
    } else if (lower.startsWith('npm_') || k === 'NODE' || k === 'INIT_CWD') {
      continue;
    }
    out[k] = v;
  }
  if (out.PATH) {
    out.PATH = out.PATH.split(path.delimiter)
      .filter((d) => d && !/[\\/]node_modules[\\/]\.bin$/.test(d) && !/[\\/]node-gyp-bin$/.test(d))
      .join(path.delimiter);
  }
  return out;
}

/**
 * The source text of a top-level `function name(` in a module file (up to its closing `}` at the
 * start of a line). Read from the file, not Function#toString(): loaders such as tsx re-print the
 * code, and the hash must not depend on who imported the module.
 */
export function functionSource(fileUrl, name) {
  const lines = fs.readFileSync(new URL(fileUrl), 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(export )?(async )?function ${name}\\(`).test(l));
  if (start < 0) throw new Error(`no function ${name} in ${fileUrl}`);
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return lines.slice(start, end + 1).join('\n');
}

/** What cleanNpmEnv() does, as text, for the recipes of installs that use it. */
export const NPM_ENV_RECIPE = `${functionSource(import.meta.url, 'cleanNpmEnv')}\n${[...LYING_NPM_CONFIG].sort().join(' ')}`;
