import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { conflictMessage, fieldsInMessage, findFieldLine, parseEdit } from '../../../../src/core/yaml/editedObject';

const id = { kind: 'Sandbox', namespace: 'demo', name: 'sb-1' };
const obj = {
  apiVersion: 'agents.x-k8s.io/v1beta1',
  kind: 'Sandbox',
  metadata: { name: 'sb-1', namespace: 'demo', resourceVersion: '42', labels: { a: 'b' } },
  spec: {
    operatingMode: 'Running',
    podTemplate: {
      metadata: { labels: { app: 'x' } },
      spec: {
        containers: [
          { name: 'agent', image: 'python:3.12', ports: [{ containerPort: 8888 }] },
          { name: 'side', image: 'busybox', env: [{ name: 'A', value: '1' }] },
        ],
      },
    },
  },
};
const text = yaml.dump(obj, { noRefs: true, lineWidth: 120 });
const lines = text.split('\n');
const lineOf = (needle: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(needle));

describe('editable YAML: parse and check before sending', () => {
  it('accepts an unchanged identity with a resourceVersion', () => {
    const r = parseEdit(text.replace('Running', 'Suspended'), id);
    assert.ok(r.ok);
    assert.equal(r.object.spec?.['operatingMode'], 'Suspended');
  });

  it('refuses a missing resourceVersion (that would be a blind overwrite)', () => {
    const r = parseEdit(text.replace(/^ *resourceVersion: .*\n/m, ''), id);
    assert.ok(!r.ok);
    assert.match(r.problem.message, /resourceVersion is required/);
  });

  it('refuses renames and kind or namespace changes, pointing at the line', () => {
    const renamed = parseEdit(text.replace('name: sb-1', 'name: sb-2'), id);
    assert.ok(!renamed.ok);
    assert.equal(renamed.problem.line, lineOf('name: sb-1'), 'the same line as in the original');
    const moved = parseEdit(text.replace('namespace: demo', 'namespace: other'), id);
    assert.ok(!moved.ok && /namespace must stay/.test(moved.problem.message));
    const kind = parseEdit(text.replace('kind: Sandbox', 'kind: Pod'), id);
    assert.ok(!kind.ok && kind.problem.line === lineOf('kind: Sandbox'));
  });

  it('reports YAML syntax errors with their line', () => {
    const broken = text.replace('operatingMode: Running', 'operatingMode: [Running');
    const r = parseEdit(broken, id);
    assert.ok(!r.ok);
    assert.match(r.problem.message, /YAML syntax error/);
    assert.equal(typeof r.problem.line, 'number');
    assert.ok(!parseEdit('a: 1\n---\nb: 2\n', id).ok, 'two documents');
    assert.ok(!parseEdit('- 1\n', id).ok, 'not a mapping');
  });
});

describe('editable YAML: placing API errors on lines', () => {
  it('finds nested fields and list items by indentation', () => {
    assert.equal(findFieldLine(text, ['spec', 'operatingMode']), lineOf('operatingMode:'));
    assert.equal(findFieldLine(text, ['metadata', 'resourceVersion']), lineOf('resourceVersion:'));
    assert.equal(findFieldLine(text, 'spec.podTemplate.spec.containers[1].image'.split('.')), lineOf('image: busybox'));
    assert.equal(findFieldLine(text, 'spec.podTemplate.spec.containers[0].ports[0].containerPort'.split('.')), lineOf('containerPort: 8888'));
    assert.equal(findFieldLine(text, 'spec.podTemplate.spec.containers[1].env[0].value'.split('.')), lineOf("value: '1'"));
    assert.equal(findFieldLine(text, 'spec.podTemplate.spec.containers[0].name'.split('.')), lineOf('- name: agent'));
  });

  it('does not confuse a key of another block (podTemplate.metadata vs metadata)', () => {
    assert.equal(findFieldLine(text, ['spec', 'podTemplate', 'metadata', 'labels', 'app']), lineOf('app: x'));
    assert.equal(findFieldLine(text, ['metadata', 'labels', 'a']), lineOf('a: b'));
  });

  it('falls back to the deepest line found', () => {
    assert.equal(findFieldLine(text, ['spec', 'nope']), lineOf('spec:'));
    assert.equal(findFieldLine(text, 'spec.podTemplate.spec.containers[5].image'.split('.')), lineOf('containers:'));
    assert.equal(findFieldLine(text, ['zzz']), undefined);
  });

  it("handles kubectl-style sequences at the key's indentation", () => {
    const k = 'spec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: y\n';
    assert.equal(findFieldLine(k, 'spec.containers[1].image'.split('.')), 5);
  });

  it('extracts field paths from a validation message', () => {
    const msg =
      'Sandbox.agents.x-k8s.io "sb-1" is invalid: [spec.operatingMode: Unsupported value: "Paused": supported values: "Running", "Suspended", spec.podTemplate.spec.containers[0].image: Required value]';
    assert.deepEqual(fieldsInMessage(msg), [
      { field: 'spec.operatingMode', text: 'Unsupported value: "Paused": supported values: "Running", "Suspended"' },
      { field: 'spec.podTemplate.spec.containers[0].image', text: 'Required value' },
    ]);
    assert.deepEqual(fieldsInMessage('something else went wrong'), []);
  });

  it('words a conflict so the user knows nothing was overwritten', () => {
    const m = conflictMessage(id, '42', '57');
    assert.match(m, /changed on the server/);
    assert.match(m, /your resourceVersion 42, the server's 57/);
    assert.match(m, /Nothing was overwritten/);
  });
});
