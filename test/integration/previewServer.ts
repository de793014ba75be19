// A web app for sandboxes of the local cluster, as fixed Python text (data as arguments): it binds
// the pod's own address ($POD_IP, as a server in a sandbox must for the router to reach it) and
// serves GET / (a token), GET /bytes/<n> (n bytes) and a WebSocket echo at /ws. Shared by the
// preview integration test and bench:preview.
import { ExecSession } from '../../src/core/exec/execSession';
import type { KubeClient } from '../../src/core/k8s/client';

export const APP = String.raw`
import base64, hashlib, http.server, os, socketserver, sys
port, token = int(sys.argv[1]), sys.argv[2]
CHUNK = b"x" * 65536
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        if self.path.endswith("/ws") and self.headers.get("Upgrade", "").lower() == "websocket":
            return self.echo()
        if "/bytes/" in self.path:
            n = int(self.path.rsplit("/", 1)[1])
            self.send_response(200); self.send_header("Content-Type", "application/octet-stream"); self.send_header("Content-Length", str(n)); self.end_headers()
            while n > 0:
                k = min(n, len(CHUNK)); self.wfile.write(CHUNK[:k]); n -= k
            return
        body = token.encode()
        self.send_response(200); self.send_header("Content-Type", "text/plain"); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def echo(self):
        key = self.headers["Sec-WebSocket-Key"].encode()
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()).decode()
        self.send_response(101); self.send_header("Upgrade", "websocket"); self.send_header("Connection", "Upgrade"); self.send_header("Sec-WebSocket-Accept", accept); self.end_headers(); self.wfile.flush()
        r = self.rfile
        while True:
            h = r.read(2)
            if len(h) < 2: return
            op, n = h[0] & 15, h[1] & 127
            if n == 126: n = int.from_bytes(r.read(2), "big")
            elif n == 127: n = int.from_bytes(r.read(8), "big")
            mask = r.read(4) if h[1] & 128 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(r.read(n)))
            if op == 8: return
            out = bytes([128 | op]) + (bytes([len(data)]) if len(data) < 126 else bytes([126]) + len(data).to_bytes(2, "big")) + data
            self.wfile.write(out); self.wfile.flush()
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
s = S((os.environ["POD_IP"], port), H)
open("preview-app.pid", "w").write(str(os.getpid()))
print("serving on %s:%d" % (os.environ["POD_IP"], port), flush=True)
s.serve_forever()
`;

/** Starts the app in a pod and resolves once it listens; close() ends the exec session. */
export async function startApp(
  client: KubeClient,
  namespace: string,
  pod: string,
  port: number,
  token: string,
): Promise<{ session: ExecSession; output: () => string }> {
  let out = '';
  let wake: () => void = () => undefined;
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app in ${pod} did not start: ${out}`)), 60_000);
    wake = () => {
      if (/serving on/.test(out)) {
        clearTimeout(timer);
        resolve();
      } else if (/Traceback|Error/.test(out)) {
        clearTimeout(timer);
        reject(new Error(`the app in ${pod} failed: ${out}`));
      }
    };
  });
  const session = await ExecSession.open(
    client,
    { namespace, pod, command: ['python3', '-u', '-c', APP, String(port), token], tty: false, stdin: false },
    { stdout: (d) => ((out += d.toString()), wake()), stderr: (d) => ((out += d.toString()), wake()) },
  );
  await listening;
  return { session, output: () => out };
}
