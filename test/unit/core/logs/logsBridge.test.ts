// The logs panel's message handling (core/logs/logsBridge.ts) through the real host dispatcher:
// the page's commands reach the stream, the stream's output is batched into data messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogOptions } from '../../../../src/core/logs/logMachine';
import { LogsBridge, LogStream } from '../../../../src/core/logs/logsBridge';
import type { LogsProtocol } from '../../../../src/shared/logsProtocol';
import { hostDispatcher, HostMessage, notifier } from '../../../../src/shared/protocol';
import { FakeClock } from '../../support/watchFakes';

function setup(containers = ['main', 'sidecar']) {
  const clock = new FakeClock();
  const posted: HostMessage<LogsProtocol>[] = [];
  const errors: string[] = [];
  const bridge = new LogsBridge(
    'Logs: sb1',
    containers,
    notifier<LogsProtocol>((m) => posted.push(m)),
    clock,
  );
  const calls: (LogOptions | 'reconnect')[] = [];
  const stream: LogStream = { setOptions: (o) => calls.push(o), reconnectNow: () => calls.push('reconnect') };
  bridge.attach(stream);
  const dispatch = hostDispatcher<LogsProtocol>(
    { commands: bridge.commands, requests: {} },
    (m) => posted.push(m),
    (e) => errors.push(e),
  );
  const sent = (method: string) => posted.filter((m) => m.kind === 'notification' && m.method === method).map((m) => (m as { params: unknown }).params);
  return { clock, posted, errors, bridge, calls, dispatch, sent };
}

describe('logs panel bridge', () => {
  it('init sends the title, the options (first container by default) and the containers', () => {
    const { bridge, sent } = setup();
    bridge.init();
    assert.deepEqual(sent('init'), [
      { title: 'Logs: sb1', options: { follow: true, timestamps: false, tailLines: 1000, container: 'main' }, containers: ['main', 'sidecar'] },
    ]);
  });

  it('setOptions from the page is normalised, keeps the container when none is given and restarts the stream', async () => {
    const { dispatch, calls, bridge, errors } = setup();
    await dispatch({ kind: 'command', method: 'setOptions', params: { follow: 1, timestamps: 0, tailLines: 100 } });
    assert.deepEqual(calls, [{ follow: true, timestamps: false, tailLines: 100, sinceSeconds: undefined, container: 'main' }]);
    await dispatch({ kind: 'command', method: 'setOptions', params: { follow: false, timestamps: true, sinceSeconds: 300, container: 'sidecar' } });
    assert.deepEqual(calls[1], { follow: false, timestamps: true, tailLines: undefined, sinceSeconds: 300, container: 'sidecar' });
    assert.equal(bridge.options.container, 'sidecar');
    assert.deepEqual(errors, []);
  });

  it('tells its owner of each options change, so a paused log stops keeping the sandbox awake', async () => {
    const seen: boolean[] = [];
    const bridge = new LogsBridge(
      'Logs: sb1',
      ['main'],
      () => undefined,
      new FakeClock(),
      (o) => seen.push(o.follow),
    );
    const dispatch = hostDispatcher<LogsProtocol>(
      { commands: bridge.commands, requests: {} },
      () => undefined,
      () => undefined,
    );
    await dispatch({ kind: 'command', method: 'setOptions', params: { follow: false } });
    await dispatch({ kind: 'command', method: 'setOptions', params: { follow: true } });
    assert.deepEqual(seen, [false, true]);
  });

  it("reconnect from the page skips the stream's backoff; an unknown command is reported", async () => {
    const { dispatch, calls, errors } = setup();
    await dispatch({ kind: 'command', method: 'reconnect', params: null });
    assert.deepEqual(calls, ['reconnect']);
    await dispatch({ kind: 'command', method: 'scale', params: {} });
    assert.match(errors[0], /unknown webview command "scale"/);
  });

  it('batches output into one data message per 40 ms', () => {
    const { clock, bridge, sent } = setup();
    bridge.sink.data('a\n');
    clock.advance(20);
    bridge.sink.data('b\n');
    clock.advance(19);
    assert.deepEqual(sent('data'), []);
    clock.advance(1);
    assert.deepEqual(sent('data'), [{ text: 'a\nb\n' }]);
    bridge.sink.data('c\n');
    clock.advance(40);
    assert.deepEqual(sent('data'), [{ text: 'a\nb\n' }, { text: 'c\n' }]);
  });

  it('a burst past 256 KiB is sent at once', () => {
    const { bridge, sent } = setup();
    const big = 'x'.repeat(256 * 1024);
    bridge.sink.data(big);
    assert.equal(sent('data').length, 1);
  });

  it('a marker first sends the text before it, so the divider lands in the right place', () => {
    const { bridge, posted } = setup();
    bridge.sink.data('before\n');
    bridge.sink.marker('pod restarted', 'warning');
    assert.deepEqual(
      posted.map((m) => (m.kind === 'notification' ? m.method : m.kind)),
      ['data', 'marker'],
    );
  });

  it('clear and new options drop text not yet sent (it belongs to the old stream)', async () => {
    const { clock, bridge, dispatch, sent } = setup();
    bridge.sink.data('old\n');
    bridge.sink.clear();
    clock.advance(40);
    assert.deepEqual(sent('data'), []);
    assert.deepEqual(sent('clear'), [null]);
    bridge.sink.data('old again\n');
    await dispatch({ kind: 'command', method: 'setOptions', params: { follow: true, timestamps: false } });
    clock.advance(40);
    assert.deepEqual(sent('data'), []);
  });

  it('status goes straight through; dispose cancels a pending batch', () => {
    const { clock, bridge, sent } = setup();
    bridge.sink.status({ state: 'streaming', text: 'Streaming', pod: 'sb1' });
    assert.deepEqual(sent('status'), [{ state: 'streaming', text: 'Streaming', pod: 'sb1' }]);
    bridge.sink.data('late\n');
    bridge.dispose();
    clock.advance(40);
    assert.deepEqual(sent('data'), []);
    assert.equal(clock.timers.length, 0);
  });
});
