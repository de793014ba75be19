// `npm run doctor`: one screen on what the first `npm start` / `npm test` will find, download or
// build, roughly how long that takes here, and where the logs of each step are. Changes nothing.
// `--cold` shows what an empty cache would need.
import { COLD_DIR } from './cold.mjs'; // first: --cold must pick the cache before codeserver.mjs reads it
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { cacheDir, clusterCacheDir } from './cache.mjs';
import {
  aptRecipe,
  aptStampFile,
  chromiumPath,
  CODE_SERVER_VERSION,
  codeServerDir,
  e2eSupport,
  NODE_VERSION,
  PROJECT_ROOT,
  readMarker,
} from './codeserver.mjs';

// Measured on the project's quiet 2-core machine from an empty cache (README "How long the first
// run takes"; several times that when the cores are shared); used when
// this machine has no measurement of its own yet.
const ESTIMATE_S = { 'code-server': 144, k8s: 430, etcd: 61, kwok: 118, 'agent-sandbox-controller': 91, 'cluster-agent': 10, apt: 56 };

const lines = [];
const say = (s = '') => lines.push(s);
const mark = (ok) => (ok ? 'ok     ' : 'MISSING');
let todoSeconds = 0;
const todo = [];
const min = (s) => (s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

function cmdVersion(cmd, args, re = /(\S+)/) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return (`${r.stdout}${r.stderr}`.match(re) ?? [])[1] ?? 'yes';
}

const cache = cacheDir();
say(`Agent Sandbox doctor — cache ${cache}${process.env.AGENT_SANDBOX_CACHE ? ' (AGENT_SANDBOX_CACHE)' : ''}`);
say('');

// ---- tools ----
const node = process.version;
const go = cmdVersion('go', ['env', 'GOVERSION']);
const root = process.getuid?.() === 0;
say(
  `tools      node ${node} · npm ${cmdVersion('npm', ['--version']) ?? 'MISSING'} · go ${go ?? 'MISSING (needed to build the cluster)'} · ${root ? 'root' : 'not root (cluster and apt need root)'}`,
);
if (!fs.existsSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'))) {
  say('           node_modules missing: run `npm install` first (≈ 20 s)');
  todo.push('npm install');
}

// ---- Debian packages ----
const debs = [
  ['chromium', fs.existsSync(chromiumPath())],
  ['libkrb5-dev', fs.existsSync('/usr/include/gssapi/gssapi.h')],
  ['runsc', Boolean(cmdVersion('runsc', ['--version']))],
  ['busybox-static', Boolean(cmdVersion('busybox', ['true']))],
  ['openssl', Boolean(cmdVersion('openssl', ['version']))],
  ['curl', Boolean(cmdVersion('curl', ['--version']))],
  ['patch', Boolean(cmdVersion('patch', ['--version']))],
];
const missingDebs = debs.filter(([, ok]) => !ok).map(([n]) => n);
let stamp = {};
try {
  stamp = JSON.parse(fs.readFileSync(aptStampFile(), 'utf8'));
} catch {
  /* none */
}
say(
  `apt        ${missingDebs.length ? `MISSING ${missingDebs.join(' ')}: first run installs them with apt (≈ ${min(ESTIMATE_S.apt)})` : 'ok      all Debian packages present'}${stamp.recipe === aptRecipe() ? '' : ' · not yet checked by this recipe (a quick apt no-op)'}`,
);
if (missingDebs.length) {
  todo.push(`apt-get install ${missingDebs.join(' ')}`);
  todoSeconds += ESTIMATE_S.apt;
}

// ---- code-server ----
const marker = readMarker();
const csDir = codeServerDir();
if (marker) {
  say(`code-server ${mark(true)} ${CODE_SERVER_VERSION} on Node ${NODE_VERSION}${marker.seconds ? ` (installed in ${marker.seconds} s)` : ''}`);
} else {
  const others = fs.existsSync(cache)
    ? fs.readdirSync(cache).filter((d) => d.startsWith('code-server-') && !d.endsWith('.lock') && path.join(cache, d) !== csDir)
    : [];
  say(
    `code-server ${mark(false)} first run installs Node ${NODE_VERSION} + code-server ${CODE_SERVER_VERSION} (npm registry, ≈ ${min(ESTIMATE_S['code-server'])})${others.length ? `; other recipes' installs here: ${others.join(', ')}` : ''}`,
  );
  todo.push('code-server install');
  todoSeconds += ESTIMATE_S['code-server'];
}
say(`            ${csDir}`);

// ---- cluster binaries ----
const clusterCache = clusterCacheDir();
const plan = spawnSync('bash', [path.join(PROJECT_ROOT, 'test', 'cluster', 'build.sh'), '--plan'], { encoding: 'utf8', env: process.env });
if (plan.status !== 0) {
  say(`cluster    cannot tell: test/cluster/build.sh --plan failed: ${(plan.stderr || plan.stdout).trim().split('\n').pop()}`);
} else {
  const rows = plan.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  const measured = {};
  for (const [name, sum] of rows) {
    try {
      const t = fs.readFileSync(path.join(clusterCache, 'store', `${name}-${sum}`, '.build-time'), 'utf8').split(' ')[1];
      measured[name] = Number.parseInt(t, 10);
    } catch {
      /* not built */
    }
  }
  const build = rows.filter(([, , st]) => st === 'build').map(([n]) => n);
  const estimate = (n) => ESTIMATE_S[Object.keys(ESTIMATE_S).find((k) => n.startsWith(k)) ?? ''] ?? 60;
  if (build.length === 0) {
    say(
      `cluster    ${mark(true)} ${rows.length} binaries built for these recipes${rows.some(([, , st]) => st === 'stored') ? ' (some only need linking, < 1 s)' : ''}`,
    );
  } else {
    const secs = build.reduce((s, n) => s + estimate(n), 0);
    say(`cluster    ${mark(false)} first run builds with Go: ${build.map((n) => `${n} ≈ ${min(estimate(n))}`).join(', ')}`);
    say('            (cold Go caches; with a warm ~/.cache/go-build it is a few minutes in all)');
    todo.push('cluster build');
    todoSeconds += secs;
  }
  for (const [name, sum, st] of rows) if (st !== 'build' && measured[name]) say(`            ${name} (${sum}) built in ${measured[name]} s`);
  say(`            ${clusterCache}/store/`);
}

// ---- the running cluster ----
const run = process.env.AS_CLUSTER_RUN ?? '/dev/shm/agent-sandbox-vscode';
const status = fs.existsSync(path.join(run, 'env'))
  ? spawnSync('bash', [path.join(PROJECT_ROOT, 'test', 'cluster', 'status.sh'), '--quiet'], { env: process.env, timeout: 30_000 }).status === 0
  : false;
say(`cluster up ${status ? `yes, healthy (${run})` : `no (${run}); npm start / npm test start it (warm ≈ 30–80 s)`}`);

const e2e = e2eSupport();
say(`e2e        ${e2e.ok ? 'can run here' : `cannot run here: ${e2e.reason}`}`);
say('');
say(
  todo.length
    ? `first run will: ${todo.join(' → ')} — roughly ${min(todoSeconds)} of installs/builds on 2 cores, then warm start`
    : 'nothing to install or build: npm start is ready in ≈ 10–40 s, npm test runs right away',
);
say('');
say('logs when a step fails:');
say(`  code-server install   ${path.join(csDir, 'install.log')}`);
say(`  apt                   ${path.join(cache, 'apt.log')}`);
say(`  cluster build         its output; times in ${clusterCache}/bin/*/.build-times`);
say(`  cluster start         ${run}/logs/<component>.log; a failed start keeps them in ${clusterCache}/failed-start-logs/`);
say('  npm start             <cache>/playground/code-server.log (extension host errors)');
say('  e2e journeys          test-results/<journey> - <step>.png and .code-server.log');
console.log(lines.join('\n'));
if (COLD_DIR) fs.rmSync(COLD_DIR, { recursive: true, force: true }); // only looked at, never filled
