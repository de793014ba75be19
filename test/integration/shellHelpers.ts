// Shared by the terminal and session integration tests: a screen to wait on, the handlers that
// fill it, and a TCP relay in front of the API server that a test can cut, as a dropped network would.
import { KubeConfig } from '@kubernetes/client-node';
import * as net from 'node:net';
import type { ShellEnding } from '../../src/core/exec/shell';
import { KubeClient } from '../../src/core/k8s/client';
import { configForContext, loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import { silentLogger } from '../../src/core/logging/logger';
import { ensureCluster } from './cluster';

const CONTEXT = 'agent-sandbox-local';
export const WAIT_MS = 30_000;

/** Everything a shell printed, with a way to wait until it matches. */
export class Screen {
  text = '';
  private waiters: { re: RegExp; from: number; resolve: (m: RegExpExecArray) => void }[] = [];
  push(t: string): void {
    this.text += t;
    this.waiters = this.waiters.filter((w) => {
      const m = w.re.exec(this.text.slice(w.from));
      if (m) w.resolve(m);
      return !m;
    });
  }
  /** Resolves with the first match of `re` in output after `from` (default: everything so far). */
  waitFor(re: RegExp, what: string, from = 0, ms = WAIT_MS): Promise<RegExpExecArray> {
    const m = re.exec(this.text.slice(from));
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output so far:\n${this.text.slice(-2000)}`)), ms);
      this.waiters.push({ re, from, resolve: (x) => (clearTimeout(timer), resolve(x)) });
    });
  }
}

/** A screen, and the shell handlers that print to it and settle `ended` with the shell's one ending. */
export function shellScreen(): { screen: Screen; ended: Promise<ShellEnding>; handlers: { output(text: string): void; end(e: ShellEnding): void } } {
  const screen = new Screen();
  let resolveEnd!: (e: ShellEnding) => void;
  const ended = new Promise<ShellEnding>((r) => (resolveEnd = r));
  return { screen, ended, handlers: { output: (t) => screen.push(t), end: resolveEnd } };
}

/**
 * Types a command into `shell` and waits for a line of its output on `screen` matching `re` (typed
 * text is echoed, so use patterns the echo cannot match).
 */
export function typer(screen: Screen, shell: { write(data: string): void }): (command: string, re: RegExp, what: string) => Promise<RegExpExecArray> {
  return (command, re, what) => {
    const from = screen.text.length;
    shell.write(`${command}\r`);
    return screen.waitFor(re, what, from);
  };
}

/** A TCP relay in front of the API server that a test can cut (RST) or freeze (stop relaying). */
export async function cuttableProxy(server: string): Promise<{ port: number; cut(): void; freeze(): void; close(): Promise<void> }> {
  const target = new URL(server);
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 443), target.hostname);
    sockets.add(inbound).add(outbound);
    const relay = (from: net.Socket, to: net.Socket) => from.on('data', (d) => !frozen && to.write(d));
    relay(inbound, outbound);
    relay(outbound, inbound);
    for (const s of [inbound, outbound]) {
      s.on('error', () => {});
      s.on('close', () => (inbound.destroy(), outbound.destroy()));
    }
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    cut: () => sockets.forEach((s) => s.resetAndDestroy()),
    freeze: () => (frozen = true),
    close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), proxy.close(() => r()))),
  };
}

/** A client for the same user and cluster that reaches the API server through 127.0.0.1:port. */
export function clientVia(port: number): KubeClient {
  const loaded = loadKubeconfig(resolveKubeconfigFiles(ensureCluster().kubeconfig));
  const pinned = configForContext(loaded.config, CONTEXT);
  const cluster = pinned.getCurrentCluster()!;
  const url = new URL(cluster.server);
  url.port = String(port);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: pinned.clusters.map((c) => (c.name === cluster.name ? { ...c, server: url.toString().replace(/\/$/, '') } : c)),
    users: pinned.users,
    contexts: pinned.contexts,
    currentContext: CONTEXT,
  });
  return new KubeClient(kc, CONTEXT, silentLogger);
}
