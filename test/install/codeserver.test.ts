// The install path itself, as a newcomer's `npm test` / `npm start` runs it: the code-server
// install started by npm whose environment describes another Node (npm_config_user_agent says
// Node 20, as the outer npm exports it), into an empty temporary cache. It must succeed and give
// a code-server that runs on its own Node 24. Uses the machine's npm cache, so no download repeats.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { CODE_SERVER_VERSION, NODE_VERSION, PROJECT_ROOT } from '../../scripts/codeserver.mjs';

const NODE20_AGENT = 'npm/10.8.2 node/v20.19.0 linux x64 workspaces/false';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('code-server installs under npm with an inherited Node 20 npm environment', { timeout: 20 * 60_000 }, async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-sandbox-install-test-'));
  let ok = false;
  try {
    // Both cache names (the older one is an alias), so no version of the scripts can fall back on the real cache.
    const env: NodeJS.ProcessEnv = { ...process.env, AGENT_SANDBOX_CACHE: cache, AGENT_SANDBOX_VSCODE_CACHE: cache, npm_config_user_agent: NODE20_AGENT };
    const res = await run('npm', ['run', '--silent', 'codeserver:install'], env);
    assert.equal(res.code, 0, `npm run codeserver:install failed:\n${res.out.split('\n').slice(-40).join('\n')}`);

    const dirs = fs.readdirSync(cache).filter((d) => d.startsWith(`code-server-${CODE_SERVER_VERSION}-`));
    assert.equal(dirs.length, 1, `one install dir in ${cache}: ${JSON.stringify(fs.readdirSync(cache))}`);
    const marker = JSON.parse(fs.readFileSync(path.join(cache, dirs[0], 'installed.json'), 'utf8'));
    assert.match(dirs[0], new RegExp(`-${marker.recipe}$`), 'the install dir is keyed by its recipe hash');
    assert.equal(spawnSync(marker.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim(), `v${NODE_VERSION}`);
    // Its own config file: --version would otherwise write ~/.config/code-server/config.yaml.
    // Written beforehand: a missing one is created with an "info  Wrote default config file" line first.
    const config = path.join(cache, 'config.yaml');
    fs.writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
    const version = spawnSync(marker.nodeBin, [marker.entry, '--version'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CODE_SERVER_CONFIG: config },
    });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, new RegExp(`^${CODE_SERVER_VERSION.replace(/\./g, '\\.')} `), version.stdout);
    // The workbench layer runs this code-server, so its VS Code is the oldest we test: engines says so.
    const bundled = JSON.parse(fs.readFileSync(path.join(path.dirname(marker.entry), '..', '..', 'lib', 'vscode', 'package.json'), 'utf8')) as {
      version: string;
    };
    const engines = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode;
    assert.equal(
      engines.replace(/^\^/, '').split('.').slice(0, 2).join('.'),
      bundled.version.split('.').slice(0, 2).join('.'),
      `engines.vscode ${engines} vs code-server's VS Code ${bundled.version}`,
    );
    ok = true;
  } finally {
    if (ok) fs.rmSync(cache, { recursive: true, force: true });
    else process.stderr.write(`[install test] kept ${cache} for its install.log\n`);
  }
});
