// The client's second transport, beside its HTTP agent: how an exec (or attach) websocket is
// opened. Injected through KubeClient so tests can record or script the socket without a server.
import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';

/** The part of a `ws` client socket an exec uses (ws's WebSocket is one: see openWebSocket). */
export interface WebSocketLike {
  readonly readyState: number;
  /** The subprotocol the server chose ('' before open). */
  readonly protocol: string;
  readonly bufferedAmount: number;
  on(event: 'message', listener: (data: WebSocket.RawData) => void): this;
  on(event: 'pong', listener: () => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  once(event: 'open', listener: () => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'unexpected-response', listener: (req: ClientRequest, res: IncomingMessage) => void): this;
  removeAllListeners(event?: string): this;
  send(data: Buffer): void;
  ping(): void;
  close(code?: number): void;
  terminate(): void;
  pause(): void;
  resume(): void;
}

/** What the exec hands the factory: TLS material, auth headers and the client's agent, as for a request. */
export type WebSocketOptions = WebSocket.ClientOptions & { headers: Record<string, string> };

/** Opens a websocket to `url` offering `protocols` (best first). */
export type WebSocketFactory = (url: string, protocols: readonly string[], options: WebSocketOptions) => WebSocketLike;

/** The default: a real `ws` socket. */
export const openWebSocket: WebSocketFactory = (url, protocols, options) => new WebSocket(url, [...protocols], options);

/** ws's readyState for an open socket (a fake socket uses the same numbers). */
export const SOCKET_OPEN = WebSocket.OPEN;
