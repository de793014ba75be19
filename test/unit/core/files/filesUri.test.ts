import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import {
  decodeAuthority,
  decodePart,
  encodeAuthority,
  encodePart,
  encodeUriPath,
  FileTarget,
  formatUri,
  joinPath,
  normalizePath,
  parseUri,
} from '../../../../src/core/files/uri';

const T: FileTarget = { context: 'agent-sandbox-local', namespace: 'agent-sandbox-demo', sandbox: 'python-pool-abc12', container: 'agent' };

const NASTY_PATHS = [
  '/',
  '/workspace/main.py',
  '/a b/c d.txt',
  '/it\'s "quoted"',
  '/new\nline',
  '/tab\there',
  '/ünïcødé/日本語/😀.txt',
  '/hash#frag',
  '/question?query=1',
  '/per%cent%20not-an-escape',
  '/-leading-dash',
  '/--',
  '/back\\slash',
  '/semi;colon,comma=eq&amp+plus@at:colon',
  '/dots/.hidden/..dots',
  '/~tilde/$dollar/`tick`/*star/[bracket]',
];

describe('file URI codec', () => {
  it('leaves Kubernetes names readable in the authority', () => {
    assert.equal(encodeAuthority(T), 'agent.python-pool-abc12.agent-sandbox-demo.agent-sandbox-local');
  });

  it('escapes any context name into lowercase-safe characters and decodes it exactly', () => {
    for (const context of ['arn:aws:eks:us-east-1:123456789012:cluster/Prod', 'Admin@Prod', 'kind-kind', 'a.b.c', 'under_score', 'ünï ✓', 'UPPER', '_5f']) {
      const enc = encodePart(context);
      assert.match(enc, /^[a-z0-9_-]+$/, enc);
      assert.equal(enc, enc.toLowerCase(), 'VS Code lowercases authorities when printing URIs');
      assert.equal(decodePart(enc), context);
      const t = { ...T, context };
      assert.deepEqual(decodeAuthority(encodeAuthority(t)), t);
      // Survives the lowercasing VS Code applies to authorities.
      assert.deepEqual(decodeAuthority(encodeAuthority(t).toUpperCase()), t);
    }
  });

  it('refuses authorities that do not name four parts or are not encoded', () => {
    assert.throws(() => decodeAuthority('a.b.c'));
    assert.throws(() => decodeAuthority('a.b..d'));
    assert.throws(() => decodePart('a%20b'));
    assert.throws(() => encodeAuthority({ ...T, container: '' }));
  });

  it('round-trips every path through the string form', () => {
    for (const p of NASTY_PATHS) {
      const uri = formatUri(T, p);
      assert.doesNotMatch(uri.slice('agentsandbox://'.length), /[#?\s\n]/, `unescaped delimiter in ${JSON.stringify(uri)}`);
      const back = parseUri(uri);
      assert.deepEqual(back.target, T);
      assert.equal(back.path, normalizePath(p), JSON.stringify(p));
    }
  });

  it('matches what a browser URL parser reads back (a second, independent decoder)', () => {
    for (const p of NASTY_PATHS) {
      const url = new URL(formatUri(T, p));
      assert.equal(url.hash, '');
      assert.equal(url.search, '');
      assert.equal(decodeURIComponent(url.pathname), normalizePath(p));
    }
  });

  it("survives VS Code's own URI class (vscode-uri): from parts, printed, parsed back", () => {
    for (const context of ['agent-sandbox-local', 'Admin@Prod:443', 'arn:aws:eks:eu-west-1:1:cluster/X']) {
      const t = { ...T, context };
      for (const p of NASTY_PATHS) {
        const uri = URI.from({ scheme: 'agentsandbox', authority: encodeAuthority(t), path: normalizePath(p) });
        for (const printed of [uri.toString(), uri.toString(true)]) {
          if (printed === uri.toString(true) && /[#?%]/.test(p)) continue; // the "skipEncoding" form is for display only
          const back = URI.parse(printed);
          assert.equal(back.scheme, 'agentsandbox');
          assert.deepEqual(decodeAuthority(back.authority), t, printed);
          assert.equal(normalizePath(back.path), normalizePath(p), printed);
        }
        // Our own string form is what VS Code prints, too.
        assert.equal(URI.parse(formatUri(t, p)).path, normalizePath(p));
      }
    }
  });

  it('percent-encodes only what must be', () => {
    assert.equal(encodeUriPath('/a b/ü#?%'), '/a%20b/%C3%BC%23%3F%25');
    assert.equal(encodeUriPath('/plain-name_1.txt'), '/plain-name_1.txt');
  });

  it('normalizes paths to absolute form without a trailing slash', () => {
    assert.equal(normalizePath(''), '/');
    assert.equal(normalizePath('a/b/'), '/a/b');
    assert.equal(normalizePath('/a//b/./c/../d'), '/a/b/d');
    assert.equal(normalizePath('/../..'), '/');
    assert.equal(normalizePath('/-x'), '/-x');
    assert.equal(joinPath('/', 'x'), '/x');
    assert.equal(joinPath('/a', 'x y'), '/a/x y');
  });
});
