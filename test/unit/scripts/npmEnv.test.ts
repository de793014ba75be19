// The environment nested installs get, and the project cache's location rules (scripts/cache.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cacheDir, cleanNpmEnv, clusterCacheDir, DEFAULT_CACHE, recipeHash } from '../../../scripts/cache.mjs';

test("an outer npm run's description of itself is not passed on; user settings are", () => {
  const env = cleanNpmEnv({
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_node_execpath: '/usr/bin/node',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_lifecycle_event: 'test',
    npm_package_name: 'agent-sandbox-vscode',
    npm_command: 'run-script',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_config_local_prefix: '/work/repo',
    npm_config_nodedir: '/usr',
    NODE: '/usr/bin/node',
    INIT_CWD: '/work/repo',
    npm_config_registry: 'https://mirror.example/npm/',
    npm_config_cache: '/var/cache/npm',
    NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
    HOME: '/root',
    PATH: '/work/repo/node_modules/.bin:/work/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/local/bin:/usr/bin',
  });
  assert.deepEqual(env, {
    npm_config_registry: 'https://mirror.example/npm/',
    npm_config_cache: '/var/cache/npm',
    NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
    HOME: '/root',
    PATH: '/usr/local/bin:/usr/bin',
  });
});

test('npm config names are matched whatever their case', () => {
  assert.deepEqual(cleanNpmEnv({ NPM_CONFIG_USER_AGENT: 'npm/11 node/v20', npm_config_user_agent: 'x', Npm_Config_Fund: 'false' }), {
    Npm_Config_Fund: 'false',
  });
});

test('the project cache: AGENT_SANDBOX_CACHE, then the older names, then ~/.cache', () => {
  assert.equal(cacheDir({}), DEFAULT_CACHE);
  assert.equal(cacheDir({ AGENT_SANDBOX_VSCODE_CACHE: '/old' }), '/old');
  assert.equal(cacheDir({ AGENT_SANDBOX_CACHE: '/new', AGENT_SANDBOX_VSCODE_CACHE: '/old' }), '/new');
  assert.equal(clusterCacheDir({ AGENT_SANDBOX_CACHE: '/new' }), '/new/cluster');
  assert.equal(clusterCacheDir({ AGENT_SANDBOX_CACHE: '/new', AS_CLUSTER_CACHE: '/c' }), '/c');
});

test('a recipe hash changes with the code, not with its comment lines', () => {
  const a = recipeHash('4.139.1', 'function f() {\n  // why\n  return 1;\n}');
  assert.equal(a, recipeHash('4.139.1', 'function f() {\n  // because\n  return 1;\n}'));
  assert.notEqual(a, recipeHash('4.139.1', 'function f() {\n  return 2;\n}'));
  assert.notEqual(a, recipeHash('4.139.2', 'function f() {\n  // why\n  return 1;\n}'));
  assert.notEqual(recipeHash('a', 'b'), recipeHash('ab'));
});
