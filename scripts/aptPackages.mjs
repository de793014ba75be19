// The Debian packages the real-VS-Code runs need: `chromium` (the browser Playwright drives) and
// `libkrb5-dev` (headers for the `kerberos` native addon that code-server builds at install time).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { cacheDir, functionSource, recipeHash } from './cache.mjs';
import { defaultLog, run } from './installRun.mjs';

const APT_PACKAGES = { chromium: 'chromium', gssapi: 'libkrb5-dev' };
export const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (fs.existsSync(p)) return p;
  }
  return '/usr/bin/chromium';
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Whether missing packages can be installed here (root and apt-get). */
export function canApt() {
  return isRoot() && Boolean(which('apt-get'));
}

let aptUpdated = false;

function dpkgVersions(pkgs) {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Version}\\n', ...pkgs], { encoding: 'utf8' });
  const versions = {};
  for (const line of (res.stdout ?? '').split('\n')) {
    const [name, version] = line.split(' ');
    if (name && version) versions[name] = version;
  }
  return versions;
}

/** Hash of the Debian package recipe: the package names and how they are installed. */
export function aptRecipe() {
  return recipeHash(JSON.stringify(APT_PACKAGES), GSSAPI_HEADER, functionSource(import.meta.url, 'ensureAptPackages'));
}

/** `<cache>/apt-packages.json`: which recipe last checked the Debian packages, and their versions. */
export function aptStampFile() {
  return path.join(cacheDir(), 'apt-packages.json');
}

/**
 * Installs the Debian packages named by `which` (keys of APT_PACKAGES) that are missing. A cache
 * whose stamp was written by another recipe (or none: a new cache) runs `apt-get install` for the
 * whole list again, which for packages already there is a quick no-op. System packages are shared
 * by everything on the machine, so nothing is ever removed here, not even with --cold.
 */
export async function ensureAptPackages(which_ = ['chromium', 'gssapi'], { log = defaultLog } = {}) {
  const wanted = which_.map((k) => APT_PACKAGES[k]);
  const missing = [];
  if (which_.includes('chromium') && !fs.existsSync(chromiumPath())) missing.push(APT_PACKAGES.chromium);
  if (which_.includes('gssapi') && !fs.existsSync(GSSAPI_HEADER)) missing.push(APT_PACKAGES.gssapi);
  let stamp = {};
  try {
    stamp = JSON.parse(fs.readFileSync(aptStampFile(), 'utf8'));
  } catch {
    /* none yet */
  }
  const stale = stamp.recipe !== aptRecipe() || wanted.some((p) => !stamp.versions?.[p]);
  if (missing.length === 0 && !stale) return;
  const canApt = isRoot() && Boolean(which('apt-get'));
  if (missing.length && !canApt) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run as root: apt-get install -y ${missing.join(' ')})`);
  }
  fs.mkdirSync(cacheDir(), { recursive: true });
  if (canApt && (missing.length || (stale && process.env.AGENT_SANDBOX_APT_RECHECK !== '0'))) {
    const logFile = path.join(cacheDir(), 'apt.log');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const installArgs = ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', '--no-upgrade', ...(missing.length ? missing : wanted)];
    log(
      `${missing.length ? `installing Debian packages: ${missing.join(' ')}` : `checking Debian packages ${wanted.join(' ')} for this recipe`} (log: ${logFile})`,
    );
    if (missing.length && !aptUpdated) {
      await run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env, logFile, log, label: 'apt-get update' });
      aptUpdated = true;
    }
    await run('apt-get', installArgs, { env, logFile, log, label: 'apt-get install' });
  }
  const versions = { ...stamp.versions, ...dpkgVersions(wanted) };
  fs.writeFileSync(aptStampFile(), `${JSON.stringify({ recipe: aptRecipe(), versions, checkedAt: new Date().toISOString() }, null, 2)}\n`);
}
