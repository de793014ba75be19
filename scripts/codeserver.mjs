// Installs and runs a real VS Code workbench (code-server) plus the Chromium that drives it.
//
// Desktop VS Code cannot be downloaded on the project's machines (only package registries are
// reachable), so the extension is exercised in code-server instead: the same workbench and the same
// Node extension host, served over HTTP. Everything is installed on first use into a cache outside
// the repository and reused afterwards (<cache>: scripts/cache.mjs, ~/.cache/agent-sandbox-vscode):
//
//   <cache>/code-server-<version>-<recipe>/node/   Node.js 24 from the npm registry (code-server needs it)
//   <cache>/code-server-<version>-<recipe>/app/    npm prefix holding code-server
//   <cache>/code-server-<version>-<recipe>/installed.json  marker, written last
//
// <recipe> hashes the versions and the source of installInto() and of the npm environment it uses,
// so a changed install script installs afresh (and worktrees with different scripts keep their own).
//
// Debian packages: `chromium` (the browser Playwright drives) and `libkrb5-dev` (headers for the
// `kerberos` native addon that code-server builds at install time).
//
// Used by scripts/start.mjs (`npm start`) and test/e2e/harness/. Types: codeserver.d.mts.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cacheDir, cleanNpmEnv, functionSource, NPM_ENV_RECIPE, recipeHash } from './cache.mjs';

/** The repository's root folder. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.139.1';
/** Exact Node.js 24 release to run code-server with (npm package `node-linux-<arch>`). */
export const NODE_VERSION = '24.22.3';
/** The project cache (AGENT_SANDBOX_CACHE; see scripts/cache.mjs), as it was when this module loaded. */
export const CACHE_DIR = cacheDir();
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const NODE_PKG = `node-linux-${process.arch}`;
const APT_PACKAGES = { chromium: 'chromium', gssapi: 'libkrb5-dev' };
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';

const defaultLog = (msg) => process.stderr.write(`[code-server] ${msg}\n`);

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (fs.existsSync(p)) return p;
  }
  return '/usr/bin/chromium';
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch { /* keep looking */ }
  }
  return undefined;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

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
  const canApt = isRoot() && Boolean(which('apt-get'));
  if (!fs.existsSync(chromiumPath()) && !canApt) {
    return { ok: false, reason: `${chromiumPath()} is missing and cannot be installed (needs root and apt-get): install Debian's "chromium" or set CHROMIUM_PATH` };
  }
  if (!readMarker() && !fs.existsSync(GSSAPI_HEADER) && !canApt) {
    return { ok: false, reason: `code-server is not installed and ${GSSAPI_HEADER} is missing (install libkrb5-dev as root)` };
  }
  return { ok: true };
}

// Install commands still running when this process exits (Ctrl+C, SIGTERM) are ended with it, so
// no orphaned npm keeps writing into the cache.
const installing = new Set();
process.on('exit', () => {
  for (const child of installing) {
    try { child.kill('SIGTERM'); } catch { /* gone */ }
  }
});

function run(cmd, args, { env, cwd, logFile, log, label }) {
  return new Promise((resolve, reject) => {
    const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
    if (logFile) fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', out, out] });
    installing.add(child);
    const started = Date.now();
    const tick = setInterval(() => log(`  … ${label} still running (${Math.round((Date.now() - started) / 1000)} s)`), 60_000);
    child.on('error', (err) => {
      clearInterval(tick);
      installing.delete(child);
      reject(new Error(`${label}: cannot run ${cmd}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearInterval(tick);
      installing.delete(child);
      if (logFile) fs.closeSync(out);
      if (code === 0) return resolve();
      let tail = '';
      if (logFile) {
        const text = fs.readFileSync(logFile, 'utf8');
        tail = `\n--- last lines of ${logFile} ---\n${text.split('\n').slice(-30).join('\n')}`;
      }
      reject(new Error(`${label} failed (${signal ?? `exit ${code}`})${tail}`));
    });
  });
}

let aptUpdated = false;

function dpkgVersions(pkgs) {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Version}\\n', ...pkgs], { encoding: 'utf8' });
  const versions = {};
  for (const line of (res.stdout ?? '').split('\n')) {
    const [name, version] = line.split(' ');
    if (name && version) versions[name] = version;
  }
  return versions;
}

/** Hash of the Debian package recipe: the package names and how they are installed. */
export function aptRecipe() {
  return recipeHash(JSON.stringify(APT_PACKAGES), GSSAPI_HEADER, functionSource(import.meta.url, 'ensureAptPackages'));
}

/** `<cache>/apt-packages.json`: which recipe last checked the Debian packages, and their versions. */
export function aptStampFile() {
  return path.join(cacheDir(), 'apt-packages.json');
}

/**
 * Installs the Debian packages named by `which` (keys of APT_PACKAGES) that are missing. A cache
 * whose stamp was written by another recipe (or none: a new cache) runs `apt-get install` for the
 * whole list again, which for packages already there is a quick no-op. System packages are shared
 * by everything on the machine, so nothing is ever removed here, not even with --cold.
 */
export async function ensureAptPackages(which_ = ['chromium', 'gssapi'], { log = defaultLog } = {}) {
  const wanted = which_.map((k) => APT_PACKAGES[k]);
  const missing = [];
  if (which_.includes('chromium') && !fs.existsSync(chromiumPath())) missing.push(APT_PACKAGES.chromium);
  if (which_.includes('gssapi') && !fs.existsSync(GSSAPI_HEADER)) missing.push(APT_PACKAGES.gssapi);
  let stamp = {};
  try { stamp = JSON.parse(fs.readFileSync(aptStampFile(), 'utf8')); } catch { /* none yet */ }
  const stale = stamp.recipe !== aptRecipe() || wanted.some((p) => !stamp.versions?.[p]);
  if (missing.length === 0 && !stale) return;
  const canApt = isRoot() && Boolean(which('apt-get'));
  if (missing.length && !canApt) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run as root: apt-get install -y ${missing.join(' ')})`);
  }
  fs.mkdirSync(cacheDir(), { recursive: true });
  if (canApt && (missing.length || (stale && process.env.AGENT_SANDBOX_APT_RECHECK !== '0'))) {
    const logFile = path.join(cacheDir(), 'apt.log');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const installArgs = ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', '--no-upgrade', ...(missing.length ? missing : wanted)];
    log(`${missing.length ? `installing Debian packages: ${missing.join(' ')}` : `checking Debian packages ${wanted.join(' ')} for this recipe`} (log: ${logFile})`);
    if (missing.length && !aptUpdated) {
      await run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env, logFile, log, label: 'apt-get update' });
      aptUpdated = true;
    }
    await run('apt-get', installArgs, { env, logFile, log, label: 'apt-get install' });
  }
  const versions = { ...stamp.versions, ...dpkgVersions(wanted) };
  fs.writeFileSync(aptStampFile(), `${JSON.stringify({ recipe: aptRecipe(), versions, checkedAt: new Date().toISOString() }, null, 2)}\n`);
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
      try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
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
  await run('npm', ['install', '--prefix', nodePrefix, '--no-save', '--no-package-lock', `${NODE_PKG}@${NODE_VERSION}`],
    { env: baseEnv, logFile, log, label: `npm install ${NODE_PKG}` });
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
  await run('npm', ['install', '--prefix', appPrefix, '--no-save', '--no-package-lock', '--omit=dev', `code-server@${CODE_SERVER_VERSION}`],
    { env, logFile, log, label: 'npm install code-server' });
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
      codeServerVersion: CODE_SERVER_VERSION, nodeVersion: NODE_VERSION, recipe: CODE_SERVER_RECIPE, ...paths,
      installDir: dir, seconds, installedAt: new Date().toISOString(),
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

/** An unused TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function codeServerEnv(install, extraEnv) {
  // Not the outer npm's variables: the extension host and its terminals run on Node 24.
  const base = cleanNpmEnv(process.env);
  return {
    ...base,
    PATH: `${path.join(install.nodeDir, 'bin')}${path.delimiter}${base.PATH}`,
    ...extraEnv,
  };
}

/** `code-server --install-extension <vsix>` into the given dirs. */
export async function installExtension(install, vsix, { extensionsDir, userDataDir, log = defaultLog }) {
  if (!fs.existsSync(vsix)) throw new Error(`no extension package at ${vsix}`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(userDataDir, { recursive: true });
  const res = spawnSync(install.nodeBin,
    [install.entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { env: codeServerEnv(install, {}), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  if (res.error || res.status !== 0 || /failed|error/i.test(out) && !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} into code-server failed (${res.error?.message ?? `exit ${res.status}`}):\n${out}`);
  }
  log(out.split('\n').filter((l) => /install/i.test(l)).pop() ?? `installed ${path.basename(vsix)}`);
}

function mergeSettingsFile(file, settings) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current = {};
  try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* absent or not plain JSON */ }
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  return file;
}

/** This extension's settings whose scope is `machine` or `machine-overridable` (package.json). */
export function machineScopedSettings() {
  const props = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).contributes?.configuration?.properties ?? {};
  return new Set(Object.entries(props).filter(([, p]) => p.scope === 'machine' || p.scope === 'machine-overridable').map(([k]) => k));
}

/**
 * Writes (merges) settings into <userDataDir>/User/settings.json, and the extension's machine-scoped
 * ones into <userDataDir>/Machine/settings.json as well: code-server is a remote window, where VS Code
 * ignores a machine-scoped value in the browser's User settings and reads the server's Machine file.
 */
export function writeUserSettings(userDataDir, settings) {
  const machine = machineScopedSettings();
  const forMachine = Object.fromEntries(Object.entries(settings).filter(([k]) => machine.has(k)));
  if (Object.keys(forMachine).length) mergeSettingsFile(path.join(userDataDir, 'Machine', 'settings.json'), forMachine);
  return mergeSettingsFile(path.join(userDataDir, 'User', 'settings.json'), settings);
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 * @returns {Promise<{url: string, port: number, folderUrl: string, child: import('node:child_process').ChildProcess, logFile: string, stop: () => Promise<void>}>}
 */
export async function startCodeServer(install, {
  port, userDataDir, extensionsDir, folder, env = {}, logFile, timeoutMs = 90_000, log = defaultLog,
}) {
  port ??= await freePort();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  logFile ??= path.join(userDataDir, 'code-server.log');
  // A config file of our own keeps code-server from writing ~/.config/code-server/config.yaml.
  const config = path.join(userDataDir, 'code-server-config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    install.entry,
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (folder) args.push(folder);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(install.nodeBin, args, {
    env: codeServerEnv(install, env),
    stdio: ['ignore', out, out],
    detached: true, // own process group, so stop() also ends the extension host and its children
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const killGroup = (signal) => {
    try { process.kill(-child.pid, signal); } catch { /* the group is empty */ }
  };
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    // Helpers (file watcher, pty host) that code-server started while shutting down are still in
    // its process group: end them too.
    killGroup('SIGKILL');
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  while (!(await httpOk(`${url}healthz`))) {
    if (exited) {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      throw new Error(`code-server exited (${exited.signal ?? `exit ${exited.code}`}) before it served ${url}:\n${text.split('\n').slice(-30).join('\n')}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s (log: ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const folderUrl = folder ? `${url}?folder=${encodeURIComponent(folder)}` : url;
  log(`code-server is serving ${url}`);
  return { url, port, folderUrl, child, logFile, stop };
}

// `node scripts/codeserver.mjs [install|check]`: install on demand (CI can warm the cache with it).
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'check') {
    const s = e2eSupport();
    console.log(s.ok ? `e2e can run here${readMarker() ? ' (code-server cached)' : ' (code-server will be installed on first use)'}` : `e2e cannot run here: ${s.reason}`);
    process.exit(s.ok ? 0 : 1);
  }
  const t0 = Date.now();
  ensureAll().then((m) => {
    console.log(`code-server ${m.codeServerVersion} ready: ${m.entry} (node ${m.nodeBin}); ${((Date.now() - t0) / 1000).toFixed(1)} s this run${m.seconds ? `, cold install took ${m.seconds} s` : ''}`);
  }, (err) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  });
}
