/**
 * The Kubernetes exec/attach channel protocol (v4 and v5.channel.k8s.io): every websocket
 * message is one binary frame whose first byte names the stream.
 */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ExecProtocol = (typeof PROTOCOLS)[number];

export function frame(channel: number, data: Uint8Array | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = channel;
  payload.copy(out, 1);
  return out;
}

export function stdinFrame(data: Uint8Array | string): Buffer {
  return frame(CHANNEL.stdin, data);
}

/** Terminal size: the API wants {"Width":cols,"Height":rows} on channel 4. */
export function resizeFrame(cols: number, rows: number): Buffer {
  return frame(CHANNEL.resize, JSON.stringify({ Width: Math.max(1, Math.floor(cols)), Height: Math.max(1, Math.floor(rows)) }));
}

/** v5 only: tells the server a stream is finished (stdin EOF) without closing the socket. */
export function closeFrame(channel: number): Buffer {
  return Buffer.from([CHANNEL.close, channel]);
}

export interface ParsedFrame {
  channel: number;
  data: Buffer;
}

export function parseFrame(message: Buffer | ArrayBuffer | Buffer[]): ParsedFrame | undefined {
  const buf = Array.isArray(message) ? Buffer.concat(message) : Buffer.isBuffer(message) ? message : Buffer.from(message);
  const channel = buf[0];
  if (channel === undefined) return undefined;
  return { channel, data: buf.subarray(1) };
}
