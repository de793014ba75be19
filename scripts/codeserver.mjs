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
// The parts: aptPackages.mjs (chromium, libkrb5-dev), codeServerInstall.mjs (Node.js 24 and
// code-server into the cache), codeServerRun.mjs (extension, settings, start, stop), installRun.mjs.
//
// Used by scripts/start.mjs (`npm start`) and test/e2e/harness/. Types: codeserver.d.mts.

import { cacheDir } from './cache.mjs';
import { e2eSupport, ensureAll, readMarker } from './codeServerInstall.mjs';

export { aptRecipe, aptStampFile, chromiumPath, ensureAptPackages } from './aptPackages.mjs';
export {
  CODE_SERVER_RECIPE,
  CODE_SERVER_VERSION,
  codeServerDir,
  e2eSupport,
  ensureAll,
  ensureCodeServer,
  NODE_VERSION,
  readMarker,
} from './codeServerInstall.mjs';
export { freePort, installExtension, machineScopedSettings, PROJECT_ROOT, startCodeServer, writeUserSettings } from './codeServerRun.mjs';

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

// `node scripts/codeserver.mjs [install|check]`: install on demand (CI can warm the cache with it).
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'check') {
    const s = e2eSupport();
    console.log(
      s.ok ? `e2e can run here${readMarker() ? ' (code-server cached)' : ' (code-server will be installed on first use)'}` : `e2e cannot run here: ${s.reason}`,
    );
    process.exit(s.ok ? 0 : 1);
  }
  const t0 = Date.now();
  ensureAll().then(
    (m) => {
      console.log(
        `code-server ${m.codeServerVersion} ready: ${m.entry} (node ${m.nodeBin}); ${((Date.now() - t0) / 1000).toFixed(1)} s this run${m.seconds ? `, cold install took ${m.seconds} s` : ''}`,
      );
    },
    (err) => {
      console.error(`error: ${err.message}`);
      process.exit(1);
    },
  );
}
