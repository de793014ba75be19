// The packaged extension the journeys install: rebuilt when the sources are newer.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { DEFAULT_VSIX, log, ROOT } from './paths';

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/**
 * Makes sure dist/agent-sandbox.vsix exists and is newer than the sources; runs `npm run package`
 * when it is not. Returns its path.
 */
export function ensureVsix(vsix = DEFAULT_VSIX): string {
  if (vsix !== DEFAULT_VSIX) return vsix;
  const sources = ['src', 'webviews', 'media', 'helper', 'package.json', 'scripts/build.mjs', 'scripts/build-helper.mjs'].map((p) => path.join(ROOT, p));
  const stale = !fs.existsSync(vsix) || Math.max(...sources.map(newestMtime)) > fs.statSync(vsix).mtimeMs;
  if (stale && process.env['AGENT_SANDBOX_E2E_NO_PACKAGE'] !== '1') {
    log('packaging the extension (npm run package)…');
    const res = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    if (res.status !== 0) {
      throw new Error(`npm run package failed:\n${`${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
    }
  }
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\``);
  return vsix;
}
