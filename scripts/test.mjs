// Runs the test layers in order: unit (plain Node, `vscode` mocked), webview (the panels in a
// happy-dom page), install (the code-server install itself, under npm, into a temporary cache),
// integration (real local cluster), e2e (real VS Code in code-server, driven by Chromium). A layer
// the machine cannot run is reported as skipped with its reason; under CI (CI=true or
// AS_REQUIRE_ALL=1) such a skip is a failure.
// `--cold` runs every install and build into a new empty cache (scripts/cache.mjs).
// `--skip=unit,webview` leaves out layers the caller already ran (.ci/run runs them as their own steps).
import './cold.mjs'; // first: --cold must pick the cache before codeserver.mjs reads it
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { e2eSupport } from './codeserver.mjs';
import { skippedCount } from './tap.mjs';

const strict = process.env.CI === 'true' || process.env.AS_REQUIRE_ALL === '1';
const ALL = ['unit', 'webview', 'install', 'integration', 'e2e'];
const args = process.argv.slice(2).filter((a) => a !== '--cold');
const skipped = args.filter((a) => a.startsWith('--skip=')).flatMap((a) => a.slice('--skip='.length).split(','));
const wanted = args.filter((a) => !a.startsWith('--skip='));
for (const l of [...wanted, ...skipped]) {
  if (!ALL.includes(l)) {
    console.error(`[test] unknown layer ${l} (layers: ${ALL.join(', ')})`);
    process.exit(2);
  }
}
const layers = (wanted.length ? wanted : ALL).filter((l) => !skipped.includes(l));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedLayers = [];

// Test files under dir, in subfolders too (test/unit mirrors src/), sorted by path.
function files(dir, suffix) {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith(suffix))
        .map((f) => join(dir, f))
        .sort()
    : [];
}

function canRunCluster() {
  if (process.platform !== 'linux') return 'the local cluster needs Linux';
  if (process.getuid?.() !== 0) return 'the local cluster (gVisor, apt) needs root';
  if (spawnSync('go', ['version']).status !== 0) return 'Go is not installed (the cluster is built from Go modules)';
  return undefined;
}

function runNodeTests(layer, testFiles, extraArgs = []) {
  // Without files `node --test` would pick its own (every *.test.* under the working directory).
  if (testFiles.length === 0) {
    console.error(`[test] ${layer}: no test files found`);
    totals.failed += 1;
    return false;
  }
  mkdirSync('test-results', { recursive: true });
  const tap = join('test-results', `${layer}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...extraArgs,
    ...testFiles,
  ];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  // node:test's summary counts skipped tests but not skipped suites (`describe(…, { skip })`).
  const skipped = skippedCount(text);
  totals.skipped += skipped;
  if (strict && skipped > 0) {
    console.error(`[test] ${layer}: ${skipped} test(s) or suite(s) skipped under CI, which counts as failure`);
    return false;
  }
  if (r.status !== 0 && count('fail') + count('cancelled') === 0) totals.failed += 1; // crashed before reporting
  return r.status === 0;
}

function skip(layer, reason) {
  console.log(`[test] SKIPPED ${layer}: ${reason}`);
  totals.skipped += 1;
  if (strict) {
    console.error(`[test] ${layer} cannot be skipped under CI`);
    failedLayers.push(layer);
  }
}

for (const layer of layers) {
  console.log(`\n[test] ===== ${layer} =====`);
  if (layer === 'unit') {
    // `import 'vscode'` in the code under test resolves to test/mocks/vscode.ts.
    if (!runNodeTests('unit', files('test/unit', '.test.ts'), ['--import', './test/mocks/register.mjs'])) failedLayers.push('unit');
  } else if (layer === 'webview') {
    if (!runNodeTests('webview', files('test/webview', '.test.ts'))) failedLayers.push('webview');
  } else if (layer === 'install') {
    const support = e2eSupport();
    if (!support.ok) {
      skip('install', support.reason);
      continue;
    }
    if (!runNodeTests('install', files('test/install', '.test.ts'))) failedLayers.push('install');
  } else if (layer === 'integration') {
    const reason = canRunCluster();
    if (reason) {
      skip('integration', reason);
      continue;
    }
    const up = spawnSync('bash', ['test/cluster/up.sh'], { stdio: 'inherit' });
    if (up.status !== 0) {
      console.error('[test] the local cluster did not start');
      failedLayers.push('integration');
      totals.failed += 1;
      continue;
    }
    if (!runNodeTests('integration', files('test/integration', '.test.ts'), ['--test-concurrency=1'])) failedLayers.push('integration');
  } else if (layer === 'e2e') {
    const reason = canRunCluster();
    if (reason) {
      skip('e2e', reason);
      continue;
    }
    const support = e2eSupport();
    if (!support.ok) {
      skip('e2e', support.reason);
      continue;
    }
    const journeys = files('test/e2e', '.e2e.ts');
    if (journeys.length === 0) {
      skip('e2e', 'no journeys found');
      continue;
    }
    const up = spawnSync('bash', ['test/cluster/up.sh'], { stdio: 'inherit' });
    if (up.status !== 0) {
      console.error('[test] the local cluster did not start');
      failedLayers.push('e2e');
      totals.failed += 1;
      continue;
    }
    if (!runNodeTests('e2e', journeys, ['--test-concurrency=1'])) failedLayers.push('e2e');
  } else {
    console.error(`[test] unknown layer ${layer}`);
    process.exit(2);
  }
}

console.log(
  `\n[test] layers: ${layers.join(', ')}${skipped.length ? ` (run elsewhere: ${skipped.join(', ')})` : ''}${failedLayers.length ? ` — failed: ${failedLayers.join(', ')}` : ''}`,
);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (failedLayers.length) console.log('[test] `npm run doctor` shows what is installed, what is missing and where the install and cluster logs are.');
process.exit(failedLayers.length ? 1 : 0);
