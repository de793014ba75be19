import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describePort, parseListeningPorts, reachableFromOutside, sandboxPorts } from '../../../../src/core/preview/listeningPorts';

// Captured shape of /proc/net/tcp{,6} (Linux and gVisor print the same columns).
const OUTPUT = `#tcp
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0200F57F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0000000000000000 100 0 0 10 0
   1: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4712 1 0000000000000000 100 0 0 10 0
   2: 0200F57F:1F40 0300F57F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4713 1 0000000000000000 20 4 30 10 -1
   3: 00000000:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4714 1 0000000000000000 100 0 0 10 0
   4: 0300F57F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4715 1 0000000000000000 100 0 0 10 0
#tcp6
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4716 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4717 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000200F57F:1389 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4718 1 0000000000000000 100 0 0 10 0
#fds
4711 123 python3
4714 130 node dev
[4716] 131 vite
garbage line
`;

describe('listening ports from /proc/net/tcp*', () => {
  it('keeps LISTEN sockets only, decodes addresses (IPv4, IPv6, v4-mapped) and names processes', () => {
    const ports = parseListeningPorts(OUTPUT);
    assert.deepEqual(ports, [
      { port: 80, address: '::1' },
      { port: 3000, address: '127.0.0.1' },
      { port: 5000, address: '::', process: 'vite' },
      { port: 5001, address: '127.245.0.2' },
      { port: 8000, address: '127.245.0.2', process: 'python3' },
      { port: 8000, address: '127.245.0.3' },
      { port: 8888, address: '0.0.0.0', process: 'node dev' },
    ]);
  });

  it('ignores empty, truncated and foreign output', () => {
    assert.deepEqual(parseListeningPorts(''), []);
    assert.deepEqual(parseListeningPorts('#tcp\n   0: 0100007F:ZZZZ 00000000:0000 0A 0 0 0 0 0 1\n#tcp\n   0: 01:0050'), []);
  });

  it("keeps this sandbox's sockets (its pod IP, every address) and says which the router can reach", () => {
    const ports = parseListeningPorts(OUTPUT);
    const mine = sandboxPorts(ports, ['127.245.0.2']);
    assert.deepEqual(
      mine.map((p) => `${p.address}:${p.port}`),
      [':::5000', '127.245.0.2:5001', '127.245.0.2:8000', '0.0.0.0:8888'],
    );
    assert.equal(reachableFromOutside({ port: 3000, address: '127.0.0.1' }, ['127.245.0.2']), false);
    assert.equal(reachableFromOutside({ port: 8000, address: '127.245.0.2' }, ['127.245.0.2']), true);
    assert.equal(describePort({ port: 8000, address: '127.245.0.2', process: 'python3' }), '8000 · python3 · 127.245.0.2');
    assert.equal(describePort({ port: 8888, address: '0.0.0.0' }), '8888 · all addresses');
  });
});
