// Builds the sandbox-side session holder (helper/session, Go standard library only) for the
// architectures sandboxes run on. Reproducible: no cgo, -trimpath, no VCS stamp, no build ID, so
// the same source and Go version give the same bytes. Skipped when the outputs match the source.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HELPER_ARCHES = ['amd64', 'arm64'];
const SRC = 'helper/session';
const OUT = 'dist/helper';

function sourceHash() {
  const h = createHash('sha256');
  for (const f of readdirSync(SRC)
    .filter((f) => f.endsWith('.go') || f === 'go.mod')
    .sort())
    h.update(f).update(readFileSync(join(SRC, f)));
  h.update(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout ?? '');
  return h.digest('hex');
}

export function buildHelper({ quiet = false } = {}) {
  if (spawnSync('go', ['version']).status !== 0) throw new Error('Go is needed to build helper/session (the terminal session holder)');
  const source = sourceHash();
  const manifest = join(OUT, 'checksums.json');
  if (existsSync(manifest)) {
    const old = JSON.parse(readFileSync(manifest, 'utf8'));
    if (old.source === source && HELPER_ARCHES.every((a) => existsSync(join(OUT, `as-session-linux-${a}`)))) return old;
  }
  mkdirSync(OUT, { recursive: true });
  const binaries = {};
  for (const arch of HELPER_ARCHES) {
    const out = join(OUT, `as-session-linux-${arch}`);
    const r = spawnSync('go', ['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w -buildid=', '-o', join('..', '..', out), '.'], {
      cwd: SRC,
      stdio: quiet ? 'pipe' : 'inherit',
      env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: arch, GOFLAGS: '', GOTOOLCHAIN: 'local' },
    });
    if (r.status !== 0) throw new Error(`go build for linux/${arch} failed${quiet ? `: ${r.stderr}` : ''}`);
    binaries[arch] = createHash('sha256').update(readFileSync(out)).digest('hex');
  }
  const result = { source, binaries };
  writeFileSync(manifest, JSON.stringify(result, null, 2) + '\n');
  if (!quiet) console.log(`[build] dist/helper/as-session for ${HELPER_ARCHES.join(', ')}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) buildHelper();
