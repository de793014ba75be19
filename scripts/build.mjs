// Bundles the extension (node/cjs, `vscode` external) and the webviews (browser/esm).
// Type-checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';

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

const webviewEntries = existsSync('webviews')
  ? readdirSync('webviews').filter((d) => existsSync(`webviews/${d}/main.ts`)).map((d) => `webviews/${d}/main.ts`)
  : [];
const webviews = webviewEntries.length
  ? { entryPoints: webviewEntries, bundle: true, platform: 'browser', format: 'esm', target: 'es2022', outdir: 'dist/webviews', outbase: 'webviews', sourcemap: !production, minify: production, logLevel: 'warning', loader: { '.css': 'css' } }
  : undefined;

if (watch) {
  for (const options of [extension, webviews].filter(Boolean)) await (await esbuild.context(options)).watch();
  console.log('[build] watching for changes');
} else {
  await Promise.all([extension, webviews].filter(Boolean).map((o) => esbuild.build(o)));
  console.log(`[build] dist/extension.js${webviews ? ` and ${webviewEntries.length} webview bundle(s)` : ''} (${production ? 'production' : 'development'})`);
}
