// `npm run sizes [dir…]`: the 15 largest source files and the median line count, for src/ and
// webviews/ unless told otherwise. No file in src/ or scripts/ may pass 400 lines (ARCHITECTURE.md;
// test/unit/repo/fileSizes.test.ts fails on one); this shows which files are heading there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = /\.(ts|mts|mjs|js|sh|go)$/;
const TOP = 15;
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'webviews'];

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return SOURCE.test(e.name) ? [p] : [];
  });
}

const missing = roots.filter((r) => !existsSync(r));
if (missing.length) {
  console.error(`[sizes] no such folder: ${missing.join(', ')}`);
  process.exit(2);
}
// Lines as the budget test counts them: newline characters.
const files = roots
  .flatMap(sources)
  .map((f) => ({ f, n: readFileSync(f, 'utf8').split('\n').length - 1 }))
  .sort((a, b) => b.n - a.n || a.f.localeCompare(b.f));
if (files.length === 0) {
  console.error(`[sizes] no source files under ${roots.join(', ')}`);
  process.exit(2);
}
const counts = files.map((x) => x.n).sort((a, b) => a - b);
const mid = Math.floor(counts.length / 2);
const median = counts.length % 2 ? counts[mid] : (counts[mid - 1] + counts[mid]) / 2;
const width = String(files[0].n).length;

console.log(`Largest ${Math.min(TOP, files.length)} of ${files.length} source files in ${roots.join(', ')}:`);
for (const { f, n } of files.slice(0, TOP)) console.log(`  ${String(n).padStart(width)}  ${f}`);
console.log(`Median: ${median} lines; total ${counts.reduce((a, b) => a + b, 0)} lines.`);
