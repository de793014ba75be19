// `npm start`: the extension in a real VS Code against the local cluster, in your browser.
//
//   1. builds and packages the extension (npm run package → dist/agent-sandbox.vsix)
//   2. brings the local cluster up (test/cluster/up.sh; a running one is reused)
//   3. installs code-server on first use (cached under ~/.cache/agent-sandbox-vscode/)
//   4. installs the .vsix into a fresh extensions dir and serves VS Code on 127.0.0.1 with
//      KUBECONFIG pointing at the local cluster: a trusted playground folder, the Agent Sandbox
//      view open (scripts/playground.mjs)
//
// Runs until Ctrl+C / SIGTERM, then stops code-server, and the cluster if this run started it.
//
// Options:
//   --no-package   use the existing dist/agent-sandbox.vsix
//   --no-cluster   do not touch the cluster (KUBECONFIG from your environment is passed on)
//   --smoke        start everything, check the workbench page is served, then stop (for CI)
//   --cold         install and build everything into a new empty cache (as on a fresh machine)
// Environment: PORT (default: a free port), AGENT_SANDBOX_CACHE (cache folder, see
//   scripts/cache.mjs), AGENT_SANDBOX_VSIX (with --no-package: another .vsix to serve).
// When something fails: `npm run doctor` says what is installed and where the logs are.

import './cold.mjs'; // first: --cold must pick the cache before codeserver.mjs reads it
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CACHE_DIR, ensureCodeServer, startCodeServer } from './codeserver.mjs';
import { localRouterSetting, preparePlayground } from './playground.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VSIX = process.env.AGENT_SANDBOX_VSIX ? path.resolve(process.env.AGENT_SANDBOX_VSIX) : path.join(ROOT, 'dist', 'agent-sandbox.vsix');
const CLUSTER_RUN = process.env.AS_CLUSTER_RUN ?? '/dev/shm/agent-sandbox-vscode';
const CLUSTER_ENV = path.join(CLUSTER_RUN, 'env');
const PLAYGROUND = path.join(CACHE_DIR, 'playground');
const WORKSPACE = path.join(CACHE_DIR, 'playground-workspace');

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--no-package', '--no-cluster', '--smoke', '--cold', '--help', '-h'].includes(a)) fail(`unknown option ${a} (see --help)`);
}
if (args.has('--help') || args.has('-h')) {
  const text = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(
    text
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}

const say = (msg) => console.log(`[start] ${msg}`);

function fail(msg) {
  console.error(`[start] error: ${msg}`);
  process.exit(1);
}

/** Runs a command with the terminal attached; resolves with its exit code. Never reads stdin. */
function runAttached(cmd, cmdArgs, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
    current = child;
    child.on('error', (err) => {
      console.error(`[start] cannot run ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

function readClusterEnv() {
  if (!fs.existsSync(CLUSTER_ENV)) return undefined;
  const env = {};
  for (const line of fs.readFileSync(CLUSTER_ENV, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/** Whether a healthy cluster is running already (then up.sh reuses it and we must not stop it). */
function clusterRunning() {
  if (!fs.existsSync(CLUSTER_ENV)) return false;
  const res = spawnSync('bash', ['test/cluster/status.sh', '--quiet'], { cwd: ROOT, timeout: 60_000, stdio: 'ignore' });
  return res.status === 0;
}

let current; // the foreground child (npm run package / up.sh), killed on Ctrl+C
let server; // the running code-server
let startedCluster = false;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (current) {
    try {
      current.kill('SIGTERM');
    } catch {
      /* gone */
    }
  }
  if (server) {
    say('stopping code-server…');
    await server.stop();
  }
  if (startedCluster) {
    say('stopping the cluster this run started (test/cluster/down.sh)…');
    const rc = await runAttached('bash', ['test/cluster/down.sh']);
    if (rc !== 0) console.error(`[start] test/cluster/down.sh exited ${rc}`);
  }
  process.exit(code);
}

process.on('SIGINT', () => {
  console.log('');
  void shutdown(130);
});
process.on('SIGTERM', () => void shutdown(143));
process.on('SIGHUP', () => void shutdown(129));

function httpGet(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
  });
}

async function main() {
  const t0 = Date.now();

  // 1. Package.
  if (args.has('--no-package')) {
    if (!fs.existsSync(VSIX)) fail(`${path.relative(ROOT, VSIX)} is missing; run without --no-package`);
  } else {
    say('building and packaging the extension (npm run package)…');
    const rc = await runAttached('npm', ['run', 'package']);
    if (stopping) return;
    if (rc !== 0) fail(`npm run package exited ${rc}; fix the build errors above`);
    if (!fs.existsSync(VSIX)) fail(`npm run package succeeded but ${path.relative(ROOT, VSIX)} was not written`);
  }

  // 2. Cluster.
  const env = {};
  let routerSetting;
  if (args.has('--no-cluster')) {
    if (process.env.KUBECONFIG) env.KUBECONFIG = process.env.KUBECONFIG;
    say(`not touching the cluster; KUBECONFIG=${env.KUBECONFIG ?? '(unset: ~/.kube/config)'}`);
  } else {
    if (!fs.existsSync(path.join(ROOT, 'test', 'cluster', 'up.sh'))) fail('test/cluster/up.sh is missing (use --no-cluster to skip the cluster)');
    const wasRunning = clusterRunning();
    say(wasRunning ? 'reusing the running local cluster' : 'starting the local cluster (test/cluster/up.sh; the first run builds it and takes a while)…');
    const rc = await runAttached('bash', ['test/cluster/up.sh']);
    if (stopping) return;
    startedCluster = !wasRunning; // also after a failed start: down.sh then clears what it left
    if (rc !== 0) return shutdownWith(`test/cluster/up.sh exited ${rc} (see its messages above; npm run cluster:status may help)`);
    const clusterEnv = readClusterEnv();
    if (!clusterEnv?.KUBECONFIG) return shutdownWith(`test/cluster/up.sh did not write KUBECONFIG= into ${CLUSTER_ENV}`);
    env.KUBECONFIG = clusterEnv.KUBECONFIG;
    routerSetting = clusterEnv.ROUTER_URL && clusterEnv.CONTEXT ? { context: clusterEnv.CONTEXT, url: clusterEnv.ROUTER_URL } : undefined;
  }

  // 3. code-server.
  let install;
  try {
    install = await ensureCodeServer({ log: say });
  } catch (err) {
    return shutdownWith(`could not install code-server: ${err.message}`);
  }
  if (stopping) return;

  // 4. Fresh extensions dir, settings, workspace, serve.
  const extensionsDir = path.join(PLAYGROUND, 'extensions');
  const userDataDir = path.join(PLAYGROUND, 'user-data');
  try {
    // Open Preview goes through the local cluster's real Sandbox Router.
    const settings = routerSetting ? localRouterSetting(userDataDir, routerSetting.context, routerSetting.url) : {};
    await preparePlayground(install, { vsix: VSIX, extensionsDir, userDataDir, workspace: WORKSPACE, settings, log: say });
    const port = process.env.PORT ? Number(process.env.PORT) : undefined;
    if (process.env.PORT && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`PORT=${process.env.PORT} is not a port number`);
    server = await startCodeServer(install, {
      port,
      userDataDir,
      extensionsDir,
      folder: WORKSPACE,
      env,
      log: say,
      logFile: path.join(PLAYGROUND, 'code-server.log'),
    });
  } catch (err) {
    return shutdownWith(err.message);
  }
  if (stopping) return;
  server.child.on('exit', (code, signal) => {
    if (!stopping) void shutdownWith(`code-server stopped by itself (${signal ?? `exit ${code}`}); log: ${server.logFile}`);
  });

  if (args.has('--smoke')) {
    const res = await httpGet(server.folderUrl).catch((err) => ({ status: 0, body: String(err) }));
    if (res.status !== 200 || !/vscode|workbench/i.test(res.body)) return shutdownWith(`the workbench page answered ${res.status}`);
    say(`smoke check passed: the workbench is served (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return shutdown(0);
  }

  console.log('');
  console.log(`  Agent Sandbox in VS Code:  ${server.folderUrl}`);
  console.log(`  KUBECONFIG:                ${env.KUBECONFIG ?? '(default)'}`);
  console.log(`  code-server log:           ${server.logFile}`);
  console.log('');
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s. Press Ctrl+C to stop${startedCluster ? ' (the cluster started by this run is stopped too)' : ''}.`);
}

async function shutdownWith(msg) {
  console.error(`[start] error: ${msg}`);
  console.error('[start] `npm run doctor` shows what is installed, what is missing and where the logs are.');
  await shutdown(1);
}

main().catch((err) => shutdownWith(err.stack ?? String(err)));
