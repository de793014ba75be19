import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextTooltipMarkdown } from '../../../src/core/markdown';

/** The code span after `label`: its fence, and its content with CommonMark's one-space padding removed. */
function codeSpan(md: string, label: string): { fence: string; content: string } {
  const line = md.split('\n').find((l) => l.startsWith(label));
  assert.ok(line, `a line starting with ${label}`);
  const rest = line.slice(label.length);
  const fence = /^`+/.exec(rest)?.[0] ?? '';
  assert.ok(fence, `${JSON.stringify(rest)} starts a code span`);
  assert.ok(rest.endsWith(fence) && rest.length >= 2 * fence.length, `${JSON.stringify(rest)} ends with its fence`);
  let content = rest.slice(fence.length, rest.length - fence.length);
  if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim()) content = content.slice(1, -1);
  return { fence, content };
}

describe('markdown from untrusted names', () => {
  it('the status bar tooltip shows any context name literally, inside one code span', () => {
    const names = [
      'kind-dev',
      'arn:aws:eks:eu-west-1:1:cluster/prod',
      'a`b',
      '`start',
      'end`',
      'x` [click](https://evil.example) `y',
      'two``ticks',
      '**bold** _i_ <b>html</b>',
      ' spaced ',
      ' lead',
    ];
    for (const name of names) {
      const md = contextTooltipMarkdown(name, 'default');
      const { fence, content } = codeSpan(md, 'Context: ');
      assert.equal(content, name);
      // The fence is longer than any run of backticks in the name, so nothing inside can close it.
      for (const run of name.match(/`+/g) ?? []) assert.ok(run.length < fence.length, `${JSON.stringify(name)}: fence ${fence.length}, run ${run.length}`);
    }
  });

  it('a line break in a context name cannot end the code span or start a new block', () => {
    const md = contextTooltipMarkdown('evil\n\n# Heading\n[x](https://evil.example)', 'default');
    assert.ok(!/^#/m.test(md), md);
    assert.equal(codeSpan(md, 'Context: ').content, 'evil # Heading [x](https://evil.example)');
  });

  it('namespaces are escaped text (no links, emphasis or html)', () => {
    const md = contextTooltipMarkdown('c', 'a_b_, [x](https://evil.example), <img>');
    const line = md.split('\n').find((l) => l.startsWith('Namespaces: ')) ?? '';
    assert.ok(!/(^|[^\\])[[\]()<>_*]/.test(line.slice('Namespaces: '.length)), line);
  });
});
