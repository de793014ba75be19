import { viewClient, ViewClient, ViewHandlers, Protocol } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page; every module shares this instance. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();

/**
 * Connects the page to its host: routes notifications to `handlers`, then says `ready` so the
 * host sends the current state (it queues nothing for a page that is not listening yet).
 */
export function connect<P extends Protocol & { commands: { ready: null } }>(handlers: ViewHandlers<P>): ViewClient<P> {
  const client = viewClient<P>((m) => vscodeApi.postMessage(m), handlers);
  window.addEventListener('message', (e: MessageEvent) => {
    client.receive(e.data);
  });
  // Generic P cannot prove it has `ready` as a key, though the constraint says so: post it directly.
  vscodeApi.postMessage({ kind: 'command', method: 'ready', params: null });
  return client;
}
