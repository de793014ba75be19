/**
 * The relay process that carries one TCP connection over an exec session: it runs inside the
 * sandbox, connects to localhost:<port> there (the Python relay then tries $POD_IP, for servers
 * bound to the pod's address only) and copies bytes between that socket and its own
 * stdin/stdout. This works where the pod port-forward API does not (gVisor, agent-sandbox #158),
 * because exec is served by the runtime inside the sandbox.
 */
export type RelayKind = 'python3' | 'python' | 'socat' | 'nc' | 'busybox-nc';

export const RELAY_KINDS: readonly RelayKind[] = ['python3', 'python', 'socat', 'nc', 'busybox-nc'];

/** Python relay: binary-safe both ways, half-closes on stdin EOF, says clearly when nothing listens. */
const PYTHON_RELAY = [
  'import os, socket, sys, threading',
  'port = int(sys.argv[1])',
  's = None',
  'for host in ["localhost", os.environ.get("POD_IP")]:',
  '    if not host:',
  '        continue',
  '    try:',
  '        s = socket.create_connection((host, port))',
  '        break',
  '    except OSError as e:',
  '        err = e',
  'if s is None:',
  '    sys.stderr.write("agent-sandbox-relay: cannot connect to port %d in the sandbox: %s\\n" % (port, err.strerror or err))',
  '    sys.exit(2)',
  'def up():',
  '    while True:',
  '        b = os.read(0, 65536)',
  '        if not b:',
  '            try:',
  '                s.shutdown(socket.SHUT_WR)',
  '            except OSError:',
  '                pass',
  '            return',
  '        s.sendall(b)',
  'threading.Thread(target=up, daemon=True).start()',
  'while True:',
  '    b = s.recv(65536)',
  '    if not b:',
  '        break',
  '    os.write(1, b)',
].join('\n');

/** The argv that relays one connection to `port` with the given relay (no shell needed). */
export function relayCommand(kind: RelayKind, port: number): string[] {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
  switch (kind) {
    case 'python3':
    case 'python':
      return [kind, '-u', '-c', PYTHON_RELAY, String(port)];
    case 'socat':
      return ['socat', '-', `TCP:localhost:${port}`];
    case 'nc':
      return ['nc', '127.0.0.1', String(port)];
    case 'busybox-nc':
      return ['busybox', 'nc', '127.0.0.1', String(port)];
  }
}

/** A shell one-liner that prints the first relay the sandbox has (one exec round trip). */
export const PROBE_COMMAND: readonly string[] = [
  'sh',
  '-c',
  [
    'for c in python3 python socat nc; do command -v "$c" >/dev/null 2>&1 && { echo "$c"; exit 0; }; done',
    'busybox --list 2>/dev/null | grep -qx nc && { echo busybox-nc; exit 0; }',
    'exit 127',
  ].join('; '),
];

export function parseProbe(stdout: string): RelayKind | undefined {
  const first = stdout.trim().split('\n')[0]?.trim();
  return first !== undefined && (RELAY_KINDS as readonly string[]).includes(first) ? (first as RelayKind) : undefined;
}

/** Turns a relay's stderr into a sentence for the user. */
export function relayFailure(stderr: string, port: number): string {
  const text = stderr.trim();
  if (/refused|cannot connect|Connection reset|errno 111|ECONNREFUSED/i.test(text)) return `Nothing is listening on port ${port} inside the sandbox.`;
  return text ? `The relay failed: ${text.split('\n').slice(-1)[0]}` : 'The relay ended without a reason.';
}
