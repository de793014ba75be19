// Installs and runs a real VS Code workbench (code-server) plus the Chromium that drives it.
//
// Desktop VS Code cannot be downloaded on the project's machines (only package registries are
// reachable), so the extension is exercised in code-server instead: the same workbench and the same
// Node extension host, served over HTTP. Everything is installed on first use into a cache outside
// the repository and reused afterwards:
//
//   <cache>/code-server-<version>/node/        Node.js 24 from the npm registry (code-server needs it)
//   <cache>/code-server-<version>/app/         npm prefix holding code-server
//   <cache>/code-server-<version>/installed.json  marker, written last
//
// Debian packages: `chromium` (the browser Playwright drives) and `libkrb5-dev` (headers for the
// `kerberos` native addon that code-server builds at install time).
//
// Used by scripts/start.mjs (`npm start`) and test/e2e/harness.ts. Types: codeserver.d.mts.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.139.1';
/** Exact Node.js 24 release to run code-server with (npm package `node-linux-<arch>`). */
export const NODE_VERSION = '24.22.3';
export const CACHE_DIR = process.env.AGENT_SANDBOX_VSCODE_CACHE
  ?? path.join(os.homedir(), '.cache', 'agent-sandbox-vscode');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const INSTALL_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = path.join(INSTALL_DIR, 'installed.json');
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

function readMarker() {
  try {
    const m = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    if (m.codeServerVersion !== CODE_SERVER_VERSION || m.nodeVersion !== NODE_VERSION) return undefined;
    if (!fs.existsSync(m.nodeBin) || !fs.existsSync(m.entry)) return undefined;
    return m;
  } catch {
    return undefined;
  }
}

/**
 * Whether the real-VS-Code end-to-end tests can run on this machine, without installing anything.
 * `ok: false` comes with a reason a person can act on.
 */
export function e2eSupport() {
  if (process.env.AGENT_SANDBOX_E2E === '0') return { ok: false, reason: 'AGENT_SANDBOX_E2E=0' };
  if (process.platform !== 'linux') {
    return { ok: false, reason: `code-server e2e runs on Linux only (this is ${process.platform}); use .vscode-test.mjs with desktop VS Code instead` };
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

/** Installs the Debian packages named by `which` (keys of APT_PACKAGES) that are missing. */
export async function ensureAptPackages(which_ = ['chromium', 'gssapi'], { log = defaultLog } = {}) {
  const missing = [];
  if (which_.includes('chromium') && !fs.existsSync(chromiumPath())) missing.push(APT_PACKAGES.chromium);
  if (which_.includes('gssapi') && !fs.existsSync(GSSAPI_HEADER)) missing.push(APT_PACKAGES.gssapi);
  if (missing.length === 0) return;
  if (!isRoot() || !which('apt-get')) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run as root: apt-get install -y ${missing.join(' ')})`);
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const logFile = path.join(CACHE_DIR, 'apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing Debian packages: ${missing.join(' ')} (log: ${logFile})`);
  if (!aptUpdated) {
    await run('apt-get', ['update'], { env, logFile, log, label: 'apt-get update' });
    aptUpdated = true;
  }
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, logFile, log, label: 'apt-get install' });
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
 * Installs Node.js 24 and code-server into the cache unless they are there already, and returns
 * where they are. Quick (one file read) when cached. Non-interactive; throws with the install log's
 * tail on failure.
 * @returns {Promise<{nodeBin: string, nodeDir: string, entry: string, installDir: string, seconds?: number}>}
 */
export async function ensureCodeServer({ log = defaultLog } = {}) {
  const cached = readMarker();
  if (cached) return cached;
  const support = e2eSupport();
  if (!support.ok && process.platform !== 'linux') throw new Error(support.reason);
  await ensureAptPackages(['gssapi'], { log });
  return withLock(INSTALL_DIR, log, async () => {
    const again = readMarker();
    if (again) return again;
    const started = Date.now();
    fs.rmSync(INSTALL_DIR, { recursive: true, force: true });
    fs.mkdirSync(INSTALL_DIR, { recursive: true });
    const logFile = path.join(INSTALL_DIR, 'install.log');
    const nodePrefix = path.join(INSTALL_DIR, 'node');
    const appPrefix = path.join(INSTALL_DIR, 'app');
    const baseEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

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

    log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (a few minutes; log: ${logFile})`);
    const env = {
      ...baseEnv,
      PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
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
    const seconds = Math.round((Date.now() - started) / 1000);
    const marker = { codeServerVersion: CODE_SERVER_VERSION, nodeVersion: NODE_VERSION, nodeBin, nodeDir, entry, installDir: INSTALL_DIR, seconds, installedAt: new Date().toISOString() };
    fs.writeFileSync(MARKER, JSON.stringify(marker, null, 2));
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
  return {
    ...process.env,
    PATH: `${path.join(install.nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
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

/** Writes (merges) user settings into <userDataDir>/User/settings.json. */
export function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current = {};
  try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* absent or not plain JSON */ }
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  return file;
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
