// Which exec outcomes are retried and which give up, as tables: close codes, refused upgrades (as
// upgradeError builds them) and network errors, status-channel failures (as parseStatus reads them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cause, classifyClose, classifyEnding, classifyError, classifyStatus } from '../../../../src/core/exec/codes';
import { upgradeError } from '../../../../src/core/exec/execSession';
import type { ShellEnding } from '../../../../src/core/exec/shell';
import { parseStatus } from '../../../../src/core/exec/status';
import { errorFromNetwork, errorFromResponse, KubeError } from '../../../../src/core/k8s/errors';

type Row = [what: string, action: 'retry' | 'give-up', cause: Cause];
const where = { namespace: 'demo', pod: 'sb-1' };

describe('exec outcome classification', () => {
  const closes: [number | undefined, ...Row][] = [
    [1000, 'normal closure without a status: the stream ended, not the process', 'retry', 'closed'],
    [1001, 'going away (API server restarting)', 'retry', 'closed'],
    [1002, 'protocol error', 'give-up', 'protocol'],
    [1003, 'unsupported data', 'give-up', 'protocol'],
    [1005, 'no status code', 'retry', 'network'],
    [1006, 'abnormal: no close frame (the network)', 'retry', 'network'],
    [1007, 'invalid payload', 'give-up', 'protocol'],
    [1008, 'policy violation (a proxy)', 'give-up', 'protocol'],
    [1009, 'message too big', 'give-up', 'protocol'],
    [1010, 'mandatory extension', 'give-up', 'protocol'],
    [1011, 'internal error', 'retry', 'server'],
    [1012, 'service restart', 'retry', 'closed'],
    [1013, 'try again later', 'retry', 'server'],
    [1014, 'bad gateway', 'retry', 'server'],
    [1015, 'TLS handshake failed', 'give-up', 'tls'],
    [4000, 'a private code no RFC defines', 'retry', 'network'],
    [undefined, 'a socket error, no code', 'retry', 'network'],
  ];
  for (const [code, what, action, cause] of closes) {
    it(`close ${code ?? '(none)'}, ${what}: ${action}`, () => {
      assert.deepEqual(classifyClose(code, 'm'), { action, cause, message: 'm' });
    });
  }

  const errors: [unknown, ...Row][] = [
    [upgradeError(401, '{"message":"Unauthorized"}', where), 'HTTP 401 on upgrade', 'give-up', 'auth'],
    [upgradeError(403, '{"message":"pods/exec is forbidden"}', where), 'HTTP 403 on upgrade (RBAC)', 'give-up', 'forbidden'],
    [upgradeError(404, '{"message":"pods \\"sb-1\\" not found"}', where), 'HTTP 404 on upgrade (pod gone)', 'give-up', 'not-found'],
    [upgradeError(400, '{"message":"container nope is not valid for pod sb-1"}', where), 'container not in the pod', 'give-up', 'not-found'],
    [upgradeError(400, '{"message":"container main is not running"}', where), 'container restarting', 'retry', 'not-running'],
    [upgradeError(200, '<html>login</html>', where), 'a proxy answered the upgrade with 200', 'give-up', 'refused'],
    [upgradeError(500, 'error dialing backend', where), 'HTTP 500', 'retry', 'server'],
    [upgradeError(503, '', where), 'HTTP 503', 'retry', 'server'],
    [upgradeError(429, '', where), 'HTTP 429', 'retry', 'server'],
    [upgradeError(400, '{"message":"bad request"}', where), 'another 400', 'give-up', 'failed'],
    [errorFromNetwork(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'https://k'), 'connection refused', 'retry', 'network'],
    [new KubeError('Cannot open a session in sb-1: read ECONNRESET', undefined, 'ECONNRESET', 'network'), 'socket error while opening', 'retry', 'network'],
    [new KubeError('timed out', undefined, undefined, 'timeout'), 'a timeout', 'retry', 'network'],
    [new KubeError('Cannot open a session: self-signed', undefined, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'network'), 'TLS code on the socket', 'give-up', 'tls'],
    [errorFromNetwork(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), 'https://k'), 'TLS error on a request', 'give-up', 'tls'],
    [new KubeError('no credentials', undefined, undefined, 'auth'), 'credentials could not be got (exec plugin)', 'give-up', 'auth'],
    [errorFromResponse(403, '{"message":"forbidden"}', 'get sandbox'), 'a REST 403 on the way', 'give-up', 'forbidden'],
    [new KubeError('Cancelled', undefined, 'Cancelled', 'cancelled'), 'cancelled', 'give-up', 'cancelled'],
    [new Error('starting the terminal session failed: lost'), 'an error of our own', 'retry', 'unknown'],
  ];
  for (const [err, what, action, cause] of errors) {
    it(`open failure, ${what}: ${action}`, () => {
      const v = classifyError(err);
      assert.deepEqual([v.action, v.cause], [action, cause]);
      assert.equal(v.message, (err as Error).message);
    });
  }

  const status = (reason: string, message: string) => JSON.stringify({ status: 'Failure', reason, message });
  const statuses: [string, ...Row][] = [
    [status('InternalError', 'error dialing backend: dial tcp 10.0.0.5:10250: connect: connection refused'), 'kubelet unreachable', 'retry', 'network'],
    [status('InternalError', 'error sending request: read tcp: i/o timeout'), 'kubelet timed out', 'retry', 'network'],
    [status('ServiceUnavailable', 'try later'), 'server unavailable', 'retry', 'server'],
    [status('Forbidden', 'pods "sb-1" is forbidden'), 'RBAC', 'give-up', 'forbidden'],
    [status('Unauthorized', 'Unauthorized'), 'credentials', 'give-up', 'auth'],
    [status('NotFound', 'container not found ("main")'), 'container gone', 'give-up', 'not-found'],
    [status('InternalError', 'OCI runtime exec failed: exec failed: permission denied'), 'the runtime refused the command', 'give-up', 'failed'],
    ['not json', 'an unreadable status', 'give-up', 'failed'],
  ];
  for (const [text, what, action, cause] of statuses) {
    it(`status channel, ${what}: ${action}`, () => {
      const r = parseStatus(text);
      assert.equal(r.kind, 'failed');
      const v = classifyEnding(r);
      assert.deepEqual([v?.action, v?.cause], [action, cause]);
    });
  }

  it('a status reason is not needed: the message alone (a shell ending keeps only that) is classified the same', () => {
    assert.equal(classifyStatus({ message: 'error dialing backend: EOF' }).action, 'retry');
    assert.equal(classifyStatus({ message: 'the session helper: no such session' }).action, 'give-up');
  });

  const endings: [ShellEnding, 'retry' | 'give-up' | undefined][] = [
    [{ kind: 'exited', code: 0 }, undefined],
    [{ kind: 'exited', code: 137 }, undefined],
    [{ kind: 'closed' }, undefined],
    [{ kind: 'no-shell', tried: ['bash', 'sh'] }, 'give-up'],
    [{ kind: 'lost', message: 'no answer from the API server for 20 s', closeCode: 1006 }, 'retry'],
    [{ kind: 'lost', message: 'policy', closeCode: 1008 }, 'give-up'],
    [{ kind: 'failed', message: 'error dialing backend: connection reset by peer' }, 'retry'],
  ];
  for (const [ending, action] of endings) {
    it(`shell ending ${JSON.stringify(ending)}: ${action ?? 'nothing to retry'}`, () => {
      assert.equal(classifyEnding(ending)?.action, action);
    });
  }
});
