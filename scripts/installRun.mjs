// Runs the install commands (npm, apt-get) with their output in a log file, a progress line every
// minute, and the log's tail in the error; they end with this process (no orphaned npm in the cache).
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export const defaultLog = (msg) => process.stderr.write(`[code-server] ${msg}\n`);

// Install commands still running when this process exits (Ctrl+C, SIGTERM) are ended with it, so
// no orphaned npm keeps writing into the cache.
const installing = new Set();
process.on('exit', () => {
  for (const child of installing) {
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
  }
});

export function run(cmd, args, { env, cwd, logFile, log, label }) {
  return new Promise((resolve, reject) => {
    const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
    if (logFile) fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', out, out] });
    installing.add(child);
    const started = Date.now();
    const tick = setInterval(() => log(`  … ${label} still running (${Math.round((Date.now() - started) / 1000)} s)`), 60_000);
    child.on('error', (err) => {
      clearInterval(tick);
      installing.delete(child);
      reject(new Error(`${label}: cannot run ${cmd}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearInterval(tick);
      installing.delete(child);
      if (logFile) fs.closeSync(out);
      if (code === 0) return resolve();
      let tail = '';
      if (logFile) {
        const text = fs.readFileSync(logFile, 'utf8');
        tail = `\n--- last lines of ${logFile} ---\n${text.split('\n').slice(-30).join('\n')}`;
      }
      reject(new Error(`${label} failed (${signal ?? `exit ${code}`})${tail}`));
    });
  });
}
