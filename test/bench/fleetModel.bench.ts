// bench:fleet-model — the model alone at fleet size (issue 17; bench:fleet is the same against the real cluster): N sandboxes (default 10,000) with their pods
// and claims, as the controller and the kubelet write them (managedFields, whole pod templates),
// served from a loopback API server. Prints the heap the synced model holds (after GC, minus the
// baseline) and connect→synced for streamed and paged lists, next to `kubectl get sandboxes -A
// -o json` against the same server. Usage: npm run bench:fleet-model [-- N]   (KUBECTL=path to choose kubectl)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fleetCollections, FleetOptions, FleetResult, measureFleet } from './fleetMemory';
import { FleetServer } from './fleetServer';

const N = Number((process.argv[2] === '--one' ? undefined : process.argv[2]) ?? process.env['FLEET_SANDBOXES'] ?? 10_000);
const HEAP_GOAL_MB = 100;

/** kubectl from KUBECTL, the local cluster's build cache, or PATH. */
function kubectl(): string | undefined {
  if (process.env['KUBECTL']) return process.env['KUBECTL'];
  const bin = join(process.env['AGENT_SANDBOX_CACHE'] ?? join(homedir(), '.cache/agent-sandbox-vscode'), 'cluster/bin');
  const built = existsSync(bin)
    ? readdirSync(bin)
        .map((d) => join(bin, d, 'kubectl'))
        .find(existsSync)
    : undefined;
  return built ?? (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0 ? 'kubectl' : undefined);
}

/** Median wall time of `kubectl get sandboxes -A -o json` (output to /dev/null) against the fleet server. */
async function kubectlMs(bin: string, runs = 3): Promise<number> {
  const server = new FleetServer(fleetCollections({ sandboxes: N, pods: 0, list: 'paged' }).slice(0, 1));
  const url = await server.listen();
  const dir = mkdtempSync(join(tmpdir(), 'fleet-kubectl-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: f, cluster: {server: '${url}'}}]\nusers: [{name: u, user: {token: bench}}]\ncontexts: [{name: f, context: {cluster: f, user: u}}]\ncurrent-context: f\n`,
  );
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const out = openSync('/dev/null', 'w');
      const t = performance.now();
      // Asynchronously: the server answering kubectl runs in this process.
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'sandboxes', '-A', '-o', 'json'], {
          stdio: ['ignore', out, 'inherit'],
        });
        child.on('exit', resolve);
      });
      times.push(performance.now() - t);
      if (code !== 0) throw new Error(`kubectl exited with ${code}`);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** One measurement in a fresh process: what an earlier model left for the GC cannot skew the next baseline. */
function measureApart(o: FleetOptions): Promise<FleetResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--one', JSON.stringify(o)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as FleetResult) : reject(new Error(`measurement exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--one') return void process.stdout.write(JSON.stringify(await measureFleet(JSON.parse(process.argv[3]) as FleetOptions)));
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc, as npm run bench:fleet does: the heap figures need it)');
  const row = (name: string, value: string, goal: string, ok?: boolean) =>
    console.log(`${name.padEnd(44)} ${value.padStart(12)}   ${goal.padEnd(18)} ${ok === undefined ? '' : ok ? 'ok' : 'MISSED'}`);
  const paged = await measureApart({ sandboxes: N, list: 'paged' });
  const streamed = await measureApart({ sandboxes: N, list: 'stream' });
  const o = streamed.objects;
  console.log(
    `bench:fleet — ${o.sandboxes} sandboxes, ${o.pods} pods, ${o.claims} claims, ${o.pools} pools, ${o.templates} templates; ${streamed.servedMb.toFixed(0)} MB of JSON as served`,
  );
  row('heap held by the synced model (streamed)', `${streamed.heapMb.toFixed(1)} MB`, `goal ≤ ${HEAP_GOAL_MB} MB`, streamed.heapMb <= HEAP_GOAL_MB);
  row('heap held by the synced model (paged)', `${paged.heapMb.toFixed(1)} MB`, `goal ≤ ${HEAP_GOAL_MB} MB`, paged.heapMb <= HEAP_GOAL_MB);
  row('start → synced, streamed lists', `${streamed.syncedMs.toFixed(0)} ms`, `${streamed.requests.streams} streams, ${streamed.requests.pages} pages`);
  row('start → synced, paged lists', `${paged.syncedMs.toFixed(0)} ms`, `${paged.requests.pages} pages`);
  const bin = kubectl();
  if (!bin) return void console.log('kubectl not found (set KUBECTL): no comparison');
  const k = await kubectlMs(bin);
  row('kubectl get sandboxes -A -o json', `${k.toFixed(0)} ms`, 'sandboxes only');
  const sandboxesOnly = await measureApart({ sandboxes: N, pods: 0, list: 'stream' });
  row('start → synced, streamed, no pods (all kinds)', `${sandboxesOnly.syncedMs.toFixed(0)} ms`, 'goal ≤ kubectl', sandboxesOnly.syncedMs <= k);
  row('start → synced, streamed, with pods (all kinds)', `${streamed.syncedMs.toFixed(0)} ms`, 'goal ≤ kubectl', streamed.syncedMs <= k);
}

void main();
