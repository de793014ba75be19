// Sandbox files over the real exec websocket of the local cluster, in two pods: a plain one on the
// KWOK node (GNU coreutils/findutils on the host) and a claim from the gVisor warm pool (old gVisor,
// where GNU ls/stat fail on statx). Every operation, nasty names, 20 MB round trip, 5,000 entries,
// special files, a cut save, and a PVC file surviving hibernate/resume.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { execCollect } from '../../src/core/exec/execSession';
import { parseListing } from '../../src/core/files/listing';
import { defaultContainer, PodLocator, SandboxSource } from '../../src/core/files/locator';
import { SandboxFileSystem } from '../../src/core/files/sandboxFs';
import { LIST_SCRIPT } from '../../src/core/files/scripts';
import { FileTarget, joinPath } from '../../src/core/files/uri';
import type { KubeClient } from '../../src/core/k8s/client';
import type { SandboxOperations } from '../../src/core/k8s/operations';
import { apiVersionString, type ApiModel } from '../../src/core/k8s/resources';
import type { KubeObject } from '../../src/core/model/objects';
import { podName, retainedPvcs } from '../../src/core/model/sandbox';
import { ensureCluster, kubectl, opsFor, uniqueName } from './cluster';
import { rejectsWith } from '../support/fileErrors';
import { plainSandboxManifest } from '../support/sandboxes';

const CONTEXT = 'agent-sandbox-local';
const READY_MS = 180_000;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Pod {
  label: string;
  sandbox: string;
  target: FileTarget;
  fs: SandboxFileSystem;
  /** A fresh directory for this pod's tests, under its working directory. */
  base: string;
}

describe('sandbox files against the local cluster', { timeout: 30 * 60_000 }, () => {
  let NS = '';
  let client: KubeClient;
  let ops: SandboxOperations;
  let api: ApiModel;
  let claim = '';
  let plain = '';
  const pods: Record<'plain' | 'gvisor', Pod> = {} as Record<'plain' | 'gvisor', Pod>;

  const source = (): SandboxSource => ({
    client: async () => client,
    sandbox: (t) => ops.find('Sandbox', t.namespace, t.sandbox),
  });

  /** Runs a command in a pod directly (setting up fixtures the way a user's agent would). */
  const sh = async (p: Pod, script: string, ...args: string[]) => {
    const sb = await ops.get('Sandbox', NS, p.sandbox);
    const r = await execCollect(client, {
      namespace: NS,
      pod: podName(sb) as string,
      container: p.target.container,
      command: ['sh', '-c', script, 'sh', ...args],
      timeoutMs: 120_000,
    });
    return { code: r.result.kind === 'exited' ? r.result.code : -1, stdout: r.stdout, stderr: r.stderr.toString('utf8'), result: r.result };
  };

  const prepare = async (label: string, sb: KubeObject): Promise<Pod> => {
    const container = defaultContainer(sb) as string;
    const target: FileTarget = { context: CONTEXT, namespace: NS, sandbox: sb.metadata.name, container };
    const fs = new SandboxFileSystem(new PodLocator(source()));
    const wd = await fs.workingDirectory(target);
    assert.ok(wd.startsWith('/') && wd !== '/', `${label}: working directory ${wd}`);
    const base = joinPath(wd, `files-${Date.now().toString(36)}`);
    await fs.mkdir(target, base);
    return { label, sandbox: sb.metadata.name, target, fs, base };
  };

  before(async () => {
    NS = ensureCluster().demoNamespace;
    ({ client, ops, api } = await opsFor(CONTEXT));
    claim = uniqueName('files');
    plain = uniqueName('files-plain');
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    await ops.createClaim(NS, claim, pool);
    // A sandbox without a RuntimeClass lands on the plain KWOK node: GNU userland, like most images.
    kubectl(['apply', '-f', '-'], {
      input: JSON.stringify(plainSandboxManifest(plain, NS, apiVersionString(api, 'Sandbox'))),
    });
    const [gv, pl] = await Promise.all([ops.waitClaimReady(NS, claim, { timeoutMs: READY_MS }), ops.waitReady(NS, plain, { timeoutMs: READY_MS })]);
    pods.gvisor = await prepare('gVisor claim', gv);
    pods.plain = await prepare('plain pod', pl);
  });

  after(async () => {
    await Promise.all([
      claim && ops.delete('SandboxClaim', NS, claim).catch(() => undefined),
      plain && ops.delete('Sandbox', NS, plain).catch(() => undefined),
    ]);
  });

  // Within a pod's block the tests run in order and build on each other's files (random.bin…).
  for (const which of ['plain', 'gvisor'] as const) {
    describe(which === 'plain' ? 'plain pod (GNU userland)' : 'gVisor pod (old runsc)', () => {
      const P = () => pods[which];

      it('writes, reads, stats and lists names with space, quote, newline, unicode, leading dash and #?%', async () => {
        const { fs, target, base } = P();
        const names = ['a b.txt', 'it\'s "q"', 'new\nline', 'ünï 日本 😀', '-dash', '--', '#?%20'];
        for (const name of names) {
          const path = joinPath(base, name);
          await fs.write(target, path, Buffer.from(`content of ${name}`), { create: true, overwrite: false });
          assert.equal(Buffer.from(await fs.read(target, path)).toString(), `content of ${name}`);
          const st = await fs.stat(target, path);
          assert.equal(st.kind, 'file');
          assert.equal(st.size, Buffer.byteLength(`content of ${name}`));
          assert.ok(st.mtimeMs && Math.abs(st.mtimeMs - Date.now()) < 10 * 60_000, `mtime ${st.mtimeMs}`);
        }
        const listed = (await fs.list(target, base)).map((e) => e.name);
        for (const n of names) assert.ok(listed.includes(n), `${JSON.stringify(n)} listed: ${JSON.stringify(listed)}`);
        // Seen from inside the pod, under exactly these names.
        const r = await sh(P(), 'cat -- "$1"', joinPath(base, 'new\nline'));
        assert.equal(r.stdout.toString(), 'content of new\nline');
      });

      it('round-trips a 20 MB random binary (sha256 equal)', async () => {
        const { fs, target, base } = P();
        const data = randomBytes(20 * 1024 * 1024);
        const path = joinPath(base, 'random.bin');
        await fs.write(target, path, data, { create: true, overwrite: true });
        assert.equal(sha(await fs.read(target, path)), sha(data));
        const inPod = await sh(P(), 'sha256sum -- "$1" 2>/dev/null || busybox sha256sum "$1"', path);
        assert.equal(inPod.stdout.toString().split(/\s/)[0], sha(data), inPod.stderr);
      });

      it('lists a directory of 5,000 entries', async () => {
        const { fs, target, base } = P();
        const dir = joinPath(base, 'many');
        const made = await sh(P(), 'mkdir -- "$1" && cd -- "$1" && i=0; while [ $i -lt 5000 ]; do : > "entry $i"; i=$((i+1)); done', dir);
        assert.equal(made.code, 0, made.stderr);
        const t0 = Date.now();
        const entries = await fs.list(target, dir);
        const ms = Date.now() - t0;
        assert.equal(entries.length, 5000);
        assert.ok(entries.every((e) => e.kind === 'file' && /^entry \d+$/.test(e.name)));
        assert.equal(new Set(entries.map((e) => e.name)).size, 5000);
        assert.ok(ms < 30_000, `listing took ${ms} ms`);
      });

      it('lists a socket, a FIFO and links; opening the socket or FIFO is refused quickly', async () => {
        const { fs, target, base } = P();
        const sock = joinPath(base, 'agent.sock');
        const mk = await sh(
          P(),
          'python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$1" && mkfifo -- "$2" && ln -s random.bin "$3" && ln -s nowhere "$4"',
          sock,
          joinPath(base, 'pipe'),
          joinPath(base, 'link.bin'),
          joinPath(base, 'broken'),
        );
        assert.equal(mk.code, 0, mk.stderr);
        const by = new Map((await fs.list(target, base)).map((e) => [e.name, e]));
        assert.equal(by.get('agent.sock')?.kind, 'socket');
        assert.equal(by.get('pipe')?.kind, 'fifo');
        assert.deepEqual([by.get('link.bin')?.kind, by.get('link.bin')?.isLink], ['file', true]);
        assert.deepEqual([by.get('broken')?.kind, by.get('broken')?.isLink], ['missing', true]);
        for (const [name, what] of [
          ['agent.sock', /socket/],
          ['pipe', /pipe/],
        ] as const) {
          const t0 = Date.now();
          await rejectsWith(fs.read(target, joinPath(base, name)), 'NotRegular', what);
          assert.ok(Date.now() - t0 < 10_000, `refusing ${name} took ${Date.now() - t0} ms`);
        }
        // A link is followed: stat and read see the target.
        const st = await fs.stat(target, joinPath(base, 'link.bin'));
        assert.deepEqual([st.kind, st.isLink, st.size], ['file', true, 20 * 1024 * 1024]);
      });

      it('refuses a file above the size limit, naming its size', async () => {
        const { fs, target, base } = P();
        const e = await rejectsWith(fs.read(target, joinPath(base, 'random.bin'), { maxBytes: 10 * 1024 * 1024 }), 'TooLarge', /20\.0 MB/);
        assert.equal(e.size, 20 * 1024 * 1024);
      });

      it('a save whose connection is cut leaves the original bytes', async () => {
        const { fs, target, base } = P();
        const path = joinPath(base, 'precious.bin');
        const original = randomBytes(64 * 1024);
        await fs.write(target, path, original, { create: true, overwrite: true });
        const abort = new AbortController();
        await rejectsWith(
          fs.write(target, path, randomBytes(16 * 1024 * 1024), {
            create: true,
            overwrite: true,
            signal: abort.signal,
            onProgress: (n) => n >= 2 * 1024 * 1024 && abort.abort(),
          }),
          'Unavailable',
          /may not have been saved/,
        );
        assert.ok(abort.signal.aborted, 'the connection was cut mid-save');
        assert.equal(sha(await fs.read(target, path)), sha(original));
        // The half-written temporary file goes away once the pod's side sees the input end.
        let left: string[] = [];
        for (let i = 0; i < 50; i++) {
          left = (await fs.list(target, base)).map((e) => e.name).filter((n) => n.startsWith('.precious.bin.'));
          if (!left.length) break;
        }
        assert.deepEqual(left, []);
      });

      it('keeps mode and owner across a save', async () => {
        const { fs, target, base } = P();
        const path = joinPath(base, 'tool.sh');
        await fs.write(target, path, Buffer.from('#!/bin/sh\necho 1\n'), { create: true, overwrite: false });
        const chown = (await sh(P(), 'id -u')).stdout.toString().trim() === '0';
        const set = await sh(P(), chown ? 'chmod 750 -- "$1" && chown 1234:4321 -- "$1"' : 'chmod 750 -- "$1"', path);
        assert.equal(set.code, 0, set.stderr);
        await fs.write(target, path, Buffer.from('#!/bin/sh\necho 2\n'), { create: false, overwrite: true });
        const st = await fs.stat(target, path);
        assert.equal(st.mode, 0o750);
        if (chown) assert.deepEqual([st.uid, st.gid], [1234, 4321]);
        assert.equal(Buffer.from(await fs.read(target, path)).toString(), '#!/bin/sh\necho 2\n');
      });

      it('creates folders, renames, copies and deletes (recursively)', async () => {
        const { fs, target, base } = P();
        const d = joinPath(base, 'tree');
        await fs.mkdir(target, d);
        await rejectsWith(fs.mkdir(target, d), 'FileExists');
        await fs.mkdir(target, joinPath(d, 'a/b'), { parents: true });
        await fs.write(target, joinPath(d, 'a/b/f.txt'), Buffer.from('f'), { create: true, overwrite: false });
        await fs.copy(target, d, joinPath(base, 'tree copy'), { overwrite: false });
        assert.equal(Buffer.from(await fs.read(target, joinPath(base, 'tree copy/a/b/f.txt'))).toString(), 'f');
        await fs.rename(target, joinPath(base, 'tree copy'), joinPath(base, '-moved\nhere'), { overwrite: false });
        await rejectsWith(fs.stat(target, joinPath(base, 'tree copy')), 'FileNotFound');
        assert.equal((await fs.stat(target, joinPath(base, '-moved\nhere/a/b/f.txt'))).kind, 'file');
        await rejectsWith(fs.rename(target, joinPath(base, '-moved\nhere'), d, { overwrite: false }), 'FileExists');
        await rejectsWith(fs.delete(target, d, { recursive: false }), 'NotEmpty');
        await fs.delete(target, d, { recursive: true });
        await fs.delete(target, joinPath(base, '-moved\nhere'), { recursive: true });
        await rejectsWith(fs.stat(target, d), 'FileNotFound');
        await rejectsWith(fs.list(target, joinPath(base, 'a b.txt')), 'FileNotADirectory');
      });
    });
  }

  describe('gVisor specifics', () => {
    it('GNU ls fails there, yet listing works, and busybox-only userlands work too', async () => {
      const p = pods.gvisor;
      const dir = joinPath(p.base, 'userlands');
      await p.fs.mkdir(p.target, dir);
      await p.fs.write(p.target, joinPath(dir, 'new\nline'), Buffer.from('x'), { create: true, overwrite: false });
      assert.equal((await sh(p, 'mkfifo -- "$1"', joinPath(dir, 'pipe'))).code, 0);
      const ls = await sh(p, 'ls -la -- "$1"', dir);
      assert.notEqual(ls.code, 0, 'GNU ls is expected to fail under this old gVisor (statx EINVAL)');
      assert.match(ls.stderr, /Invalid argument/);
      const pod = podName(await ops.get('Sandbox', NS, p.sandbox)) as string;
      for (const [shell, expect] of [
        [['sh'], 'F'],
        [['busybox', 'sh'], 'S'],
      ] as const) {
        const r = await execCollect(client, {
          namespace: NS,
          pod,
          container: p.target.container,
          command: [...shell, '-c', LIST_SCRIPT, 'sh', '-', dir],
          timeoutMs: 60_000,
        });
        assert.deepEqual(r.result, { kind: 'exited', code: 0 }, r.stderr.toString());
        const { strategy, entries } = parseListing(r.stdout);
        assert.equal(strategy, expect, `${shell.join(' ')} picked ${strategy}`);
        assert.deepEqual(entries.map((e) => `${e.name}:${e.kind}`).sort(), ['new\nline:file', 'pipe:fifo']);
      }
    });

    it("a file on the sandbox's PVC survives hibernate and resume", async () => {
      const p = pods.gvisor;
      const sb = await ops.get('Sandbox', NS, p.sandbox);
      assert.ok(retainedPvcs(sb).length > 0, 'the pool template has a volumeClaimTemplate');
      const wd = await p.fs.workingDirectory(p.target);
      const path = joinPath(wd, 'workspace/kept across hibernation.bin');
      const data = randomBytes(256 * 1024);
      await p.fs.write(p.target, path, data, { create: true, overwrite: true });
      await ops.setSuspended(NS, p.sandbox, true);
      await ops.waitHibernated(NS, p.sandbox, { timeoutMs: READY_MS });
      const off = await rejectsWith(p.fs.read(p.target, path), 'Unavailable', /hibernat/);
      assert.equal(off.hibernated, true);
      await ops.setSuspended(NS, p.sandbox, false);
      await ops.waitReady(NS, p.sandbox, { timeoutMs: READY_MS });
      const fresh = new SandboxFileSystem(new PodLocator(source()));
      assert.equal(sha(await fresh.read(p.target, joinPath(await fresh.workingDirectory(p.target), 'workspace/kept across hibernation.bin'))), sha(data));
      // The first file system object recovers as well (its cached pod answer expires).
      assert.equal(sha(await p.fs.read(p.target, path)), sha(data));
    });
  });
});
