/**
 * The typed message protocol between an extension host panel and its webview. Both sides import
 * this file (it uses neither `vscode`, Node nor the DOM). A panel declares its messages once as a
 * `Protocol`; the mapped handler types then force a handler for every message, so forgetting one
 * is a compile error rather than a silently dropped click.
 *
 * - commands: webview → host, fire-and-forget (a button press);
 * - requests: webview → host, answered with a result or an error (the scale control);
 * - notifications: host → webview pushes (a new snapshot, a chunk of log).
 */
export interface Protocol {
  commands: Record<string, unknown>;
  requests: Record<string, { params: unknown; result: unknown }>;
  notifications: Record<string, unknown>;
}

type Keys<T> = Extract<keyof T, string>;

/** What the webview posts to the host. */
export type ViewMessage<P extends Protocol> =
  | { [K in Keys<P['commands']>]: { kind: 'command'; method: K; params: P['commands'][K] } }[Keys<P['commands']>]
  | { [K in Keys<P['requests']>]: { kind: 'request'; id: number; method: K; params: P['requests'][K]['params'] } }[Keys<P['requests']>];

/** What the host posts to the webview. */
export type HostMessage<P extends Protocol> =
  | { [K in Keys<P['notifications']>]: { kind: 'notification'; method: K; params: P['notifications'][K] } }[Keys<P['notifications']>]
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: string };

/** Host side: one handler per command and per request. */
export interface HostHandlers<P extends Protocol> {
  commands: { [K in Keys<P['commands']>]: (params: P['commands'][K]) => void | Promise<void> };
  requests: { [K in Keys<P['requests']>]: (params: P['requests'][K]['params']) => P['requests'][K]['result'] | Promise<P['requests'][K]['result']> };
}

/** Webview side: one handler per notification. */
export type ViewHandlers<P extends Protocol> = { [K in Keys<P['notifications']>]: (params: P['notifications'][K]) => void };

function isRecord(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

function own<T extends object>(table: T, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Builds the host's message listener. Unknown or malformed messages are reported through `onError`
 * (a webview is code we ship, so that is a bug, never user input); a request's thrown error becomes
 * an error response so the webview can show it next to the control that failed.
 */
export function hostDispatcher<P extends Protocol>(
  handlers: HostHandlers<P>,
  post: (message: HostMessage<P>) => void,
  onError: (message: string) => void,
): (raw: unknown) => Promise<void> {
  return async (raw) => {
    if (!isRecord(raw) || typeof raw['method'] !== 'string') return onError(`malformed webview message: ${JSON.stringify(raw)}`);
    const method = raw['method'];
    if (raw['kind'] === 'command') {
      if (!own(handlers.commands, method)) return onError(`unknown webview command "${method}"`);
      const handler = handlers.commands[method as Keys<P['commands']>] as (p: unknown) => void | Promise<void>;
      try {
        await handler(raw['params']);
      } catch (err) {
        onError(`webview command "${method}" failed: ${errorText(err)}`);
      }
      return;
    }
    if (raw['kind'] === 'request' && typeof raw['id'] === 'number') {
      const id = raw['id'];
      if (!own(handlers.requests, method)) {
        post({ kind: 'response', id, ok: false, error: `unknown request "${method}"` });
        return onError(`unknown webview request "${method}"`);
      }
      const handler = handlers.requests[method as Keys<P['requests']>];
      try {
        post({ kind: 'response', id, ok: true, result: await handler(raw['params']) });
      } catch (err) {
        post({ kind: 'response', id, ok: false, error: errorText(err) });
      }
      return;
    }
    onError(`malformed webview message: ${JSON.stringify(raw)}`);
  };
}

/** Sends one host → webview notification. */
export type Notify<P extends Protocol> = <K extends Keys<P['notifications']>>(method: K, params: P['notifications'][K]) => void;

/** Typed host → webview notification sender. */
export function notifier<P extends Protocol>(post: (message: HostMessage<P>) => void): Notify<P> {
  return (method, params) => {
    post({ kind: 'notification', method, params } as HostMessage<P>);
  };
}

/** The webview's end: send commands, make requests, and route notifications to handlers. */
export interface ViewClient<P extends Protocol> {
  command<K extends Keys<P['commands']>>(method: K, params: P['commands'][K]): void;
  request<K extends Keys<P['requests']>>(method: K, params: P['requests'][K]['params']): Promise<P['requests'][K]['result']>;
  /** Feed every message event's data here. Returns false for messages it did not understand. */
  receive(raw: unknown): boolean;
}

export function viewClient<P extends Protocol>(post: (message: ViewMessage<P>) => void, handlers: ViewHandlers<P>): ViewClient<P> {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  return {
    command(method, params) {
      post({ kind: 'command', method, params });
    },
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve, reject });
        post({ kind: 'request', id, method, params });
      });
    },
    receive(raw) {
      if (!isRecord(raw)) return false;
      if (raw['kind'] === 'response' && typeof raw['id'] === 'number') {
        const p = pending.get(raw['id']);
        if (!p) return false;
        pending.delete(raw['id']);
        if (raw['ok'] === true) p.resolve(raw['result']);
        else p.reject(new Error(typeof raw['error'] === 'string' ? raw['error'] : 'request failed'));
        return true;
      }
      if (raw['kind'] === 'notification' && typeof raw['method'] === 'string' && own(handlers, raw['method'])) {
        (handlers[raw['method'] as Keys<P['notifications']>] as (p: unknown) => void)(raw['params']);
        return true;
      }
      return false;
    },
  };
}
