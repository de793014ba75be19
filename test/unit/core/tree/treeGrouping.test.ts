import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/core/model/objects';
import { bucketSummary, groupSandboxes, SandboxOwner, shouldGroup } from '../../../../src/core/tree/grouping';
import { describeFilter, formatFilterQuery, isEmptyFilter, matchesFilter, parseFilterQuery, parseLabelSelector } from '../../../../src/core/tree/sandboxFilter';

const running = [{ type: 'Ready', status: 'True', reason: 'DependenciesReady' }];
const hibernated = [
  { type: 'Ready', status: 'False', reason: 'SandboxSuspended' },
  { type: 'Suspended', status: 'True' },
];
function sb(name: string, state: 'run' | 'hib' | 'start', labels: Record<string, string> = {}): KubeObject {
  return {
    metadata: { name, namespace: 'fleet', labels },
    spec: { operatingMode: state === 'hib' ? 'Suspended' : 'Running' },
    status: { conditions: state === 'run' ? running : state === 'hib' ? hibernated : [] },
  };
}
const owners: Record<string, SandboxOwner> = { a: { kind: 'pool', name: 'py' }, b: { kind: 'claim', name: 'job-1' }, d: { kind: 'pool', name: 'go' } };
const ownerOf = (o: KubeObject): SandboxOwner => owners[o.metadata.name];

describe('tree grouping', () => {
  it('groups above the threshold only, and 0 turns it off', () => {
    assert.equal(shouldGroup(100, 100), false);
    assert.equal(shouldGroup(101, 100), true);
    assert.equal(shouldGroup(10_000, 0), false);
  });

  it('by state: busy states first, empty states left out, counts in the summary', () => {
    const list = [sb('a', 'hib'), sb('b', 'run'), sb('c', 'start'), sb('d', 'run')];
    const buckets = groupSandboxes(list, 'state', ownerOf);
    assert.deepEqual(
      buckets.map((b) => [b.key, b.items.map((i) => i.metadata.name)]),
      [
        ['state:Running', ['b', 'd']],
        ['state:Starting', ['c']],
        ['state:Hibernated', ['a']],
      ],
    );
    assert.equal(bucketSummary(buckets), 'Running 2 · Starting 1 · Hibernated 1');
  });

  it('by owner: pools by name, then claims, then sandboxes with neither', () => {
    const buckets = groupSandboxes([sb('a', 'run'), sb('b', 'run'), sb('c', 'run'), sb('d', 'run')], 'owner', ownerOf);
    assert.deepEqual(
      buckets.map((b) => b.label),
      ['Pool go', 'Pool py', 'Claim job-1', 'No pool or claim'],
    );
  });
});

describe('tree filter', () => {
  it('parses equality label selectors and rejects what it cannot match', () => {
    assert.deepEqual(parseLabelSelector(' app=web, tier!=db ,gpu,!spot,x==y'), [
      { key: 'app', op: 'eq', value: 'web' },
      { key: 'tier', op: 'ne', value: 'db' },
      { key: 'gpu', op: 'exists' },
      { key: 'spot', op: 'absent' },
      { key: 'x', op: 'eq', value: 'y' },
    ]);
    assert.throws(() => parseLabelSelector('env in (a,b)'), /not a label requirement/);
    assert.throws(() => parseLabelSelector('!a=b'), /not a label requirement/);
    assert.throws(() => parseLabelSelector('-bad=x'), /not a valid label key/);
  });

  it('matches name substring (any case), labels, state and creator together', () => {
    const web = sb('Web-7', 'run', { app: 'web', 'agents.x-k8s.io/created-by': 'vscode-agent' });
    const f = { text: 'web', labels: parseLabelSelector('app=web,!spot'), states: ['Running' as const], createdBy: 'agent' as const };
    assert.equal(matchesFilter(web, f), true);
    assert.equal(matchesFilter(web, { ...f, text: 'db' }), false);
    assert.equal(matchesFilter(web, { ...f, states: ['Hibernated'] }), false);
    assert.equal(matchesFilter(web, { ...f, labels: parseLabelSelector('app!=web') }), false);
    assert.equal(matchesFilter(web, { ...f, createdBy: 'me' }), false);
  });

  it('reads created-by from the owning claim when the sandbox lacks it', () => {
    const claim: KubeObject = { metadata: { name: 'c', labels: { 'agents.x-k8s.io/created-by': 'vscode' } } };
    assert.equal(matchesFilter(sb('x', 'run'), { createdBy: 'me' }, claim), true);
    assert.equal(matchesFilter(sb('x', 'run'), { createdBy: 'me' }), false);
  });

  it('describes itself in one line; an empty filter is empty', () => {
    assert.equal(
      describeFilter({ text: 'web', states: ['Running', 'Starting'], labels: parseLabelSelector('app=web'), createdBy: 'me' }),
      'name ~ "web" · state Running, Starting · labels app=web · created by me',
    );
    assert.equal(isEmptyFilter({}), true);
    assert.equal(isEmptyFilter({ states: [] }), true);
    assert.equal(isEmptyFilter({ createdBy: 'agent' }), false);
  });
});

describe('filter query', () => {
  it('reads a bare name, states in any case, labels and creator; writes the same back', () => {
    const f = parseFilterQuery('  web state:running,Hibernated label:app=web,!spot by:Agent ');
    assert.deepEqual(f, {
      text: 'web',
      states: ['Running', 'Hibernated'],
      labels: [
        { key: 'app', op: 'eq', value: 'web' },
        { key: 'spot', op: 'absent' },
      ],
      createdBy: 'agent',
    });
    assert.equal(formatFilterQuery(f), 'web state:Running,Hibernated label:app=web,!spot by:agent');
    assert.deepEqual(parseFilterQuery(formatFilterQuery(f)), f);
    assert.deepEqual(parseFilterQuery(''), {});
  });

  it('says what is wrong', () => {
    assert.throws(() => parseFilterQuery('state:sleeping'), /"sleeping" is not a state/);
    assert.throws(() => parseFilterQuery('by:bob'), /by: takes "me" or "agent"/);
    assert.throws(() => parseFilterQuery('web db'), /One name part only/);
  });
});
