// Bundles the extension (node/cjs, `vscode` external), the MCP server bin (node/cjs, no `vscode`)
// and the webviews (browser/esm).
// Type-checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { buildHelper } from './build-helper.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const extension = {
  entryPoints: ['src/extension/extension.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

// The MCP server runs outside VS Code (`agent-sandbox-mcp`), so it must not pull in `vscode`:
// esbuild fails the build if anything it imports does.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const mcp = {
  ...extension,
  entryPoints: ['src/mcp/main.ts'],
  outfile: 'dist/mcp.js',
  external: [],
  banner: { js: '#!/usr/bin/env node' },
  define: { AGENT_SANDBOX_VERSION: JSON.stringify(pkg.version) },
};

const webviewEntries = existsSync('webviews')
  ? readdirSync('webviews')
      .filter((d) => existsSync(`webviews/${d}/main.ts`))
      .map((d) => `webviews/${d}/main.ts`)
  : [];
const webviews = webviewEntries.length
  ? {
      entryPoints: webviewEntries,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      outdir: 'dist/webviews',
      outbase: 'webviews',
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
      // Webviews may load files only from dist/webviews (localResourceRoots in
      // src/extension/webviews/html.ts): an image or font a page imports is copied there.
      loader: { '.css': 'css', '.svg': 'file', '.png': 'file', '.woff2': 'file', '.ttf': 'file' },
      assetNames: 'assets/[name]-[hash]',
    }
  : undefined;

// The terminal session holder ships beside the bundle (dist/helper), built once per source change.
buildHelper();

if (watch) {
  for (const options of [extension, mcp, webviews].filter(Boolean)) await (await esbuild.context(options)).watch();
  console.log('[build] watching for changes');
} else {
  await Promise.all([extension, mcp, webviews].filter(Boolean).map((o) => esbuild.build(o)));
  console.log(
    `[build] dist/extension.js, dist/mcp.js${webviews ? ` and ${webviewEntries.length} webview bundle(s)` : ''} (${production ? 'production' : 'development'})`,
  );
}
