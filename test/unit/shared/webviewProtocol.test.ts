import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostHandlers, hostDispatcher, HostMessage, notifier, Protocol, viewClient } from '../../../src/shared/protocol';

interface TestProtocol extends Protocol {
  commands: { ready: null; press: { button: string } };
  requests: { add: { params: { a: number; b: number }; result: number }; fail: { params: null; result: never } };
  notifications: { state: { n: number } };
}

function setup(overrides: Partial<HostHandlers<TestProtocol>['commands']> = {}) {
  const calls: string[] = [];
  const errors: string[] = [];
  const posted: HostMessage<TestProtocol>[] = [];
  const handlers: HostHandlers<TestProtocol> = {
    commands: { ready: () => void calls.push('ready'), press: ({ button }) => void calls.push(`press ${button}`), ...overrides },
    requests: {
      add: ({ a, b }) => a + b,
      fail: () => {
        throw new Error('nope');
      },
    },
  };
  const dispatch = hostDispatcher<TestProtocol>(
    handlers,
    (m) => posted.push(m),
    (e) => errors.push(e),
  );
  return { calls, errors, posted, dispatch };
}

describe('webview protocol: host dispatch', () => {
  it('routes a command to its handler', async () => {
    const { calls, dispatch, errors } = setup();
    await dispatch({ kind: 'command', method: 'press', params: { button: 'hibernate' } });
    assert.deepEqual(calls, ['press hibernate']);
    assert.deepEqual(errors, []);
  });

  it('answers a request with its result', async () => {
    const { posted, dispatch } = setup();
    await dispatch({ kind: 'request', id: 7, method: 'add', params: { a: 2, b: 3 } });
    assert.deepEqual(posted, [{ kind: 'response', id: 7, ok: true, result: 5 }]);
  });

  it('turns a thrown error into an error response', async () => {
    const { posted, dispatch } = setup();
    await dispatch({ kind: 'request', id: 1, method: 'fail', params: null });
    assert.deepEqual(posted, [{ kind: 'response', id: 1, ok: false, error: 'nope' }]);
  });

  it('reports unknown and malformed messages instead of dropping them silently', async () => {
    const { dispatch, errors, posted } = setup();
    await dispatch({ kind: 'command', method: 'explode', params: null });
    await dispatch({ kind: 'request', id: 2, method: 'explode', params: null });
    await dispatch('hello');
    await dispatch({ kind: 'command' });
    await dispatch({ kind: 'command', method: 'toString', params: null }); // inherited names are not handlers
    assert.equal(errors.length, 5, errors.join('\n'));
    assert.deepEqual(posted, [{ kind: 'response', id: 2, ok: false, error: 'unknown request "explode"' }]);
  });

  it('reports a failing command handler', async () => {
    const { dispatch, errors } = setup({
      press: () => {
        throw new Error('boom');
      },
    });
    await dispatch({ kind: 'command', method: 'press', params: { button: 'x' } });
    assert.match(errors[0], /press.*boom/);
  });

  it('a missing handler does not compile', () => {
    // @ts-expect-error — `press` has no handler: the mapped type makes this a compile error.
    const incomplete: HostHandlers<TestProtocol> = { commands: { ready: () => undefined }, requests: { add: () => 0, fail: () => 0 as never } };
    assert.ok(incomplete);
  });
});

describe('webview protocol: view client', () => {
  it('round-trips a request through the host dispatcher', async () => {
    let client!: ReturnType<typeof viewClient<TestProtocol>>;
    // Wire the host's posts back into the client, as the webview's message event would.
    const host = hostDispatcher<TestProtocol>(
      {
        commands: { ready: () => undefined, press: () => undefined },
        requests: { add: ({ a, b }) => a * 10 + b, fail: () => Promise.reject(new Error('bad')) },
      },
      (m) => queueMicrotask(() => client.receive(m)),
      () => undefined,
    );
    client = viewClient<TestProtocol>((m) => void host(m), { state: () => undefined });
    assert.equal(await client.request('add', { a: 4, b: 2 }), 42);
    await assert.rejects(client.request('fail', null), /bad/);
  });

  it('routes notifications to their handler and ignores strangers', () => {
    const seen: number[] = [];
    const client = viewClient<TestProtocol>(() => undefined, { state: ({ n }) => void seen.push(n) });
    const notify = notifier<TestProtocol>((m) => client.receive(m));
    notify('state', { n: 3 });
    assert.deepEqual(seen, [3]);
    assert.equal(client.receive({ kind: 'notification', method: 'other', params: 1 }), false);
    assert.equal(client.receive({ kind: 'response', id: 99, ok: true, result: 1 }), false);
    assert.equal(client.receive(null), false);
  });
});
