// Installs Node.js 24 and code-server into the project cache, once per recipe:
//
//   <cache>/code-server-<version>-<recipe>/node/   Node.js 24 from the npm registry (code-server needs it)
//   <cache>/code-server-<version>-<recipe>/app/    npm prefix holding code-server
//   <cache>/code-server-<version>-<recipe>/installed.json  marker, written last
//
// <recipe> hashes the versions and the source of installInto() and of the npm environment it uses,
// so a changed install script installs afresh (and worktrees with different scripts keep their own).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { canApt, chromiumPath, ensureAptPackages, GSSAPI_HEADER } from './aptPackages.mjs';
import { cacheDir, cleanNpmEnv, functionSource, NPM_ENV_RECIPE, recipeHash } from './cache.mjs';
import { defaultLog, run } from './installRun.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
/** Exact Node.js 24 release to run code-server with (npm package `node-linux-<arch>`). */
export const NODE_VERSION = '24.22.3';
const NODE_PKG = `node-linux-${process.arch}`;

/**
 * Whether the real-VS-Code end-to-end tests can run on this machine, without installing anything.
 * `ok: false` comes with a reason a person can act on.
 */
export function e2eSupport() {
  if (process.env.AGENT_SANDBOX_E2E === '0') return { ok: false, reason: 'AGENT_SANDBOX_E2E=0' };
  if (process.platform !== 'linux') {
    return { ok: false, reason: `code-server e2e runs on Linux only (this is ${process.platform})` };
  }
  if (process.arch !== 'x64' && process.arch !== 'arm64') {
    return { ok: false, reason: `no Node.js 24 npm package for ${process.arch}` };
  }
  const apt = canApt();
  if (!fs.existsSync(chromiumPath()) && !apt) {
    return {
      ok: false,
      reason: `${chromiumPath()} is missing and cannot be installed (needs root and apt-get): install Debian's "chromium" or set CHROMIUM_PATH`,
    };
  }
  if (!readMarker() && !fs.existsSync(GSSAPI_HEADER) && !apt) {
    return { ok: false, reason: `code-server is not installed and ${GSSAPI_HEADER} is missing (install libkrb5-dev as root)` };
  }
  return { ok: true };
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** A lock directory so that two processes (npm start, a test run) do not install at once. */
async function withLock(dir, log, fn) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      if (Number.isInteger(owner) && !pidAlive(owner)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (held by pid ${owner})`);
      log(`waiting for another install (pid ${owner}) to finish…`);
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs Node.js 24 and code-server into `dir` (empty) and returns the marker to write. This
 * function's source text is part of the install's recipe hash: editing it reinstalls.
 */
async function installInto(dir, log) {
  const logFile = path.join(dir, 'install.log');
  const nodePrefix = path.join(dir, 'node');
  const appPrefix = path.join(dir, 'app');
  // Nested npm runs must describe the Node they really use: under `npm start` / `npm test` the
  // outer npm exported npm_config_user_agent="… node/v20 …", and code-server's postinstall reads
  // its Node version from there ("requires node v24. We have detected … node v20").
  const baseEnv = { ...cleanNpmEnv(process.env), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

  log(`installing Node.js ${NODE_VERSION} from the npm registry (${NODE_PKG}) into ${nodePrefix}`);
  await run('npm', ['install', '--prefix', nodePrefix, '--no-save', '--no-package-lock', `${NODE_PKG}@${NODE_VERSION}`], {
    env: baseEnv,
    logFile,
    log,
    label: `npm install ${NODE_PKG}`,
  });
  const nodeDir = path.join(nodePrefix, 'node_modules', NODE_PKG);
  const nodeBin = path.join(nodeDir, 'bin', 'node');
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${nodeBin} reports ${version ?? 'nothing'}, expected v${NODE_VERSION}`);
  if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h'))) {
    throw new Error(`${NODE_PKG} has no include/node headers, so native addons cannot be built for it`);
  }

  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (2–5 minutes; log: ${logFile})`);
  const env = {
    ...baseEnv,
    PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${baseEnv.PATH}`,
    // Native addons (kerberos, argon2, …) must be built against Node 24's headers, not the
    // system Node's that the user's npm config may point at.
    npm_config_nodedir: nodeDir,
    // code-server's postinstall runs nested npm installs that build VS Code's native addons; npm
    // 12 blocks dependency install scripts unless allowed, and this also reaches the nested runs.
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  await run('npm', ['install', '--prefix', appPrefix, '--no-save', '--no-package-lock', '--omit=dev', `code-server@${CODE_SERVER_VERSION}`], {
    env,
    logFile,
    log,
    label: 'npm install code-server',
  });
  const entry = path.join(appPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  return { nodeBin, nodeDir, entry };
}

/** Hash of what makes the code-server install: versions, installInto() and the npm environment. */
export const CODE_SERVER_RECIPE = recipeHash(CODE_SERVER_VERSION, NODE_VERSION, NODE_PKG, functionSource(import.meta.url, 'installInto'), NPM_ENV_RECIPE);

/** Where code-server is (or will be) installed in the current project cache. */
export function codeServerDir() {
  return path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}-${CODE_SERVER_RECIPE}`);
}

/** The install's marker if it is complete and was made by this recipe, else undefined. */
export function readMarker() {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(codeServerDir(), 'installed.json'), 'utf8'));
    if (m.recipe !== CODE_SERVER_RECIPE) return undefined;
    if (!fs.existsSync(m.nodeBin) || !fs.existsSync(m.entry)) return undefined;
    return m;
  } catch {
    return undefined;
  }
}

/**
 * Installs Node.js 24 and code-server into the cache unless this recipe's install is there already,
 * and returns where they are. Quick (one file read) when cached. Non-interactive; throws with the
 * install log's tail on failure.
 * @returns {Promise<import('./codeserver.d.mts').CodeServerInstall>}
 */
export async function ensureCodeServer({ log = defaultLog } = {}) {
  const cached = readMarker();
  if (cached) return cached;
  const support = e2eSupport();
  if (!support.ok && process.platform !== 'linux') throw new Error(support.reason);
  await ensureAptPackages(['gssapi'], { log });
  const dir = codeServerDir();
  return withLock(dir, log, async () => {
    const again = readMarker();
    if (again) return again;
    const started = Date.now();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const paths = await installInto(dir, log);
    const seconds = Math.round((Date.now() - started) / 1000);
    const marker = {
      codeServerVersion: CODE_SERVER_VERSION,
      nodeVersion: NODE_VERSION,
      recipe: CODE_SERVER_RECIPE,
      ...paths,
      installDir: dir,
      seconds,
      installedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(dir, 'installed.json'), JSON.stringify(marker, null, 2));
    log(`code-server ${CODE_SERVER_VERSION} installed in ${seconds} s`);
    return marker;
  });
}

/** Everything the real-VS-Code runs need: code-server, Node 24 and Chromium. */
export async function ensureAll({ log = defaultLog } = {}) {
  await ensureAptPackages(['chromium', 'gssapi'], { log });
  return ensureCodeServer({ log });
}
