// A fake exec endpoint that really runs each command on this machine (in a given directory), so
// SandboxFileSystem is tested end to end over the real websocket channel protocol without a
// cluster. `shell: ['busybox']` runs every command through busybox, like a busybox-only image.
import { spawn } from 'node:child_process';
import { PodLocator, SandboxSource } from '../../../src/core/files/locator';
import { SandboxFileSystem, SandboxFsOptions } from '../../../src/core/files/sandboxFs';
import type { FileTarget } from '../../../src/core/files/uri';
import type { KubeObject } from '../../../src/core/model/objects';
import { FakeConn, FakeExecServer, FakeServerOptions } from './fakeExecServer';

export const TARGET: FileTarget = { context: 'fake', namespace: 'ns', sandbox: 'sb', container: 'main' };

export function sandboxObject(state: 'Running' | 'Hibernated' = 'Running', workingDir?: string): KubeObject {
  return {
    metadata: { name: 'sb', namespace: 'ns' },
    spec: {
      operatingMode: state === 'Running' ? 'Running' : 'Suspended',
      podTemplate: { spec: { containers: [{ name: 'main', ...(workingDir ? { workingDir } : {}) }] } },
    },
    status: {
      conditions:
        state === 'Running'
          ? [{ type: 'Ready', status: 'True' }]
          : [
              { type: 'Suspended', status: 'True' },
              { type: 'Ready', status: 'False' },
            ],
    },
  };
}

export interface LocalExec {
  server: FakeExecServer;
  fs: SandboxFileSystem;
  /** Every exec's argv, in order. */
  commands: string[][];
  /** Processes still running (a write whose stdin was never ended stays here until stopped). */
  running(): number;
  /** Connections, for tests that cut one. */
  onConnection(fn: (c: FakeConn) => void): void;
  close(): Promise<void>;
}

export async function startLocalExec(opts: {
  cwd: string;
  shell?: string[] | undefined;
  sandbox?: () => KubeObject;
  fsOptions?: SandboxFsOptions;
  protocols?: string[];
  keepStdinOnClose?: boolean;
  refuse?: FakeServerOptions['refuse'];
  locatorTtlMs?: number;
  /** The commands' environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}): Promise<LocalExec> {
  const server = await FakeExecServer.start({ protocols: opts.protocols, refuse: opts.refuse });
  const commands: string[][] = [];
  const children = new Set<ReturnType<typeof spawn>>();
  let hook: ((c: FakeConn) => void) | undefined;
  server.handle((conn) => {
    const argv = conn.command;
    commands.push(argv);
    hook?.(conn);
    const full = [...(opts.shell ?? []), ...argv];
    const child = spawn(full[0], full.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (d: Buffer) => conn.send(1, d));
    child.stderr.on('data', (d: Buffer) => conn.send(2, d));
    conn.ws.on('message', (data: Buffer) => {
      if (data[0] === 0) child.stdin.write(data.subarray(1));
      else if (data[0] === 255 && data[1] === 0) child.stdin.end();
    });
    // A dropped connection ends stdin, as kubelets usually do; KWOK leaves it open (keepStdinOnClose).
    conn.ws.on('close', () => opts.keepStdinOnClose || child.stdin.end());
    children.add(child);
    child.on('exit', () => children.delete(child));
    child.on('close', (code) => {
      if (conn.ws.readyState === conn.ws.OPEN) conn.exit(code ?? 1);
    });
  });
  const client = server.client();
  const source: SandboxSource = {
    client: async () => client,
    sandbox: async () => (opts.sandbox ?? (() => sandboxObject()))(),
  };
  const fs = new SandboxFileSystem(new PodLocator(source, opts.locatorTtlMs ?? 0), opts.fsOptions);
  return {
    server,
    fs,
    commands,
    onConnection: (fn) => (hook = fn),
    running: () => children.size,
    close: async () => {
      for (const c of children) c.kill();
      await server.close();
    },
  };
}
