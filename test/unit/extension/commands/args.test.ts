// How register() reads what VS Code passes a command (src/extension/commands/args.ts): the handler
// gets a typed node or undefined (then it asks with a picker), never something of another type.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isResourceNode, isSandboxGroup, nodeAndPortArgs, nodeArgs, numberArg, oneOf, selectedNodes } from '../../../../src/extension/commands/args';
import type { ResourceNode } from '../../../../src/core/tree/nodes';

function sandbox(name: string): ResourceNode {
  return {
    type: 'resource',
    id: `ctx/ns/Sandbox/${name}`,
    context: 'ctx',
    namespace: 'ns',
    kind: 'Sandbox',
    name,
    object: { metadata: { name, namespace: 'ns' } },
  };
}

const fileNode = { type: 'contributed', id: 'files:1', role: 'entry' };
const isFile = (x: unknown): x is typeof fileNode => (x as { role?: string } | undefined)?.role === 'entry';

describe('command arguments', () => {
  it('a clicked node and its selection reach the handler typed; the palette gives neither', () => {
    const a = sandbox('a');
    const b = sandbox('b');
    const read = nodeArgs(isResourceNode);
    assert.deepEqual(read([a, [a, b]]), [a, [a, b]]);
    assert.deepEqual(read([]), [undefined, undefined]);
  });
  it('an argument of another type is dropped, so the handler falls back to its picker', () => {
    const read = nodeArgs(isResourceNode);
    assert.deepEqual(read([fileNode, [fileNode, sandbox('a')]]), [undefined, [sandbox('a')]]);
    assert.deepEqual(read(['agentSandbox.hibernate', 'not a list']), [undefined, undefined]);
    assert.deepEqual(read([{ type: 'group', id: 'g' }]), [undefined, undefined]);
  });
  it("a tooltip link's [node, port] keeps the port; a context menu's selection is not a port", () => {
    const a = sandbox('a');
    const read = nodeAndPortArgs(isResourceNode);
    assert.deepEqual(read([a, 8080]), [a, 8080]);
    assert.deepEqual(read([a, [a]]), [a, undefined]);
    assert.deepEqual(read([]), [undefined, undefined]);
  });
  it('a number from code (Stop Forward with an id) is kept; anything else is no id', () => {
    assert.deepEqual(numberArg([3]), [3]);
    assert.deepEqual(numberArg(['3']), [undefined]);
    assert.deepEqual(numberArg([]), [undefined]);
  });
  it('oneOf accepts what any of its guards accepts', () => {
    const read = nodeArgs(oneOf(isFile, isResourceNode));
    assert.deepEqual(read([fileNode]), [fileNode, undefined]);
    assert.deepEqual(read([sandbox('a')]), [sandbox('a'), undefined]);
    assert.deepEqual(read([{ type: 'message', id: 'm' }]), [undefined, undefined]);
  });
  it('a sandbox group is the Sandboxes group or a bucket, not a claims or pools group', () => {
    assert.ok(isSandboxGroup({ type: 'group', id: 'g', context: 'c', namespace: 'ns', kind: 'Sandbox' }));
    assert.ok(isSandboxGroup({ type: 'bucket', id: 'b', context: 'c', namespace: 'ns', key: 'none', label: 'None', count: 1 }));
    assert.ok(!isSandboxGroup({ type: 'group', id: 'g', context: 'c', namespace: 'ns', kind: 'SandboxClaim' }));
    assert.ok(!isSandboxGroup(sandbox('a')));
    assert.ok(!isSandboxGroup(undefined));
  });
  it('the selection applies when the clicked node is in it, else the clicked node alone', () => {
    const [a, b, c] = [sandbox('a'), sandbox('b'), sandbox('c')];
    assert.deepEqual(selectedNodes(a, [a, b]), [a, b]);
    assert.deepEqual(selectedNodes(c, [a, b]), [c]);
    assert.deepEqual(selectedNodes(a, undefined), [a]);
    assert.deepEqual(selectedNodes(undefined, [a, b]), []);
  });
});
