// Runs an installed code-server: installs the extension into it, writes its user and machine
// settings, starts it on a free loopback port and stops it with its whole process group.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanNpmEnv } from './cache.mjs';
import { defaultLog } from './installRun.mjs';

/** The repository's root folder. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
  const res = spawnSync(
    install.nodeBin,
    [install.entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { env: codeServerEnv(install, {}), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 },
  );
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  if (res.error || res.status !== 0 || (/failed|error/i.test(out) && !/successfully installed/i.test(out))) {
    throw new Error(`installing ${vsix} into code-server failed (${res.error?.message ?? `exit ${res.status}`}):\n${out}`);
  }
  log(
    out
      .split('\n')
      .filter((l) => /install/i.test(l))
      .pop() ?? `installed ${path.basename(vsix)}`,
  );
}

function mergeSettingsFile(file, settings) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current = {};
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* absent or not plain JSON */
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  return file;
}

/** This extension's settings whose scope is `machine` or `machine-overridable` (package.json). */
export function machineScopedSettings() {
  const props = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).contributes?.configuration?.properties ?? {};
  return new Set(
    Object.entries(props)
      .filter(([, p]) => p.scope === 'machine' || p.scope === 'machine-overridable')
      .map(([k]) => k),
  );
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
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 * @returns {Promise<{url: string, port: number, folderUrl: string, child: import('node:child_process').ChildProcess, logFile: string, stop: () => Promise<void>}>}
 */
export async function startCodeServer(install, { port, userDataDir, extensionsDir, folder, env = {}, logFile, timeoutMs = 90_000, log = defaultLog }) {
  port ??= await freePort();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  logFile ??= path.join(userDataDir, 'code-server.log');
  // A config file of our own keeps code-server from writing ~/.config/code-server/config.yaml.
  const config = path.join(userDataDir, 'code-server-config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    install.entry,
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
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
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* the group is empty */
    }
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
