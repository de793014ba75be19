// Loopback servers for unit tests that talk to a stand-in API server over real sockets: listen on
// a free port, close with every kept-alive connection, and a kubeconfig or KubeClient for one.
import { KubeConfig } from '@kubernetes/client-node';
import type * as http from 'node:http';
import type * as https from 'node:https';
import type * as net from 'node:net';
import { after, before } from 'node:test';
import { KubeClient } from '../../../src/core/k8s/client';
import { silentLogger } from '../../../src/core/logging/logger';

/** Listens on a free port of `host` and resolves with the port. */
export function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((r) => server.listen(0, host, () => r((server.address() as net.AddressInfo).port)));
}

/** Closes the server and drops its kept-alive connections (else `close` waits for them). */
export function closeServer(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/**
 * Listens on loopback before the enclosing suite's tests and closes after them (without waiting:
 * a tunnelled socket can outlive the suite); `port` once listening.
 */
export function serveInSuite(server: http.Server | https.Server): { readonly port: number } {
  let port = 0;
  before(async () => {
    port = await listen(server);
  });
  after(() => void closeServer(server));
  return {
    get port() {
      return port;
    },
  };
}

export interface LoopbackOptions {
  /** The context name (also the cluster's and the user's); default `test`. */
  context?: string;
  /** A bearer token for the user; default none. */
  token?: string;
  skipTLSVerify?: boolean;
}

/** A one-context kubeconfig for `server` (a URL). */
export function loopbackKubeconfig(server: string, o: LoopbackOptions = {}): KubeConfig {
  const name = o.context ?? 'test';
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server, skipTLSVerify: o.skipTLSVerify ?? false }],
    users: [{ name, ...(o.token ? { token: o.token } : {}) }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kc;
}

/** The extension's own client for `server`; `env` stands for the process environment (proxies). */
export function loopbackClient(server: string, o: LoopbackOptions & { env?: NodeJS.ProcessEnv } = {}): KubeClient {
  return new KubeClient(loopbackKubeconfig(server, o), o.context ?? 'test', silentLogger, o.env);
}
