import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, joinUri, panelHtml, UriLike, WEBVIEW_RESOURCE_DIRS, webviewOptions } from '../../../../src/extension/webviews/html';

class FakeUri implements UriLike {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  with(change: { path: string }): FakeUri {
    return new FakeUri(this.scheme, change.path);
  }
  toString(): string {
    return `${this.scheme}://ext${this.path}`;
  }
}

const webview = {
  cspSource: 'https://*.vscode-cdn.net',
  asWebviewUri: (u: UriLike) => new FakeUri('https', (u as FakeUri).path),
};
const ext = new FakeUri('file', '/ext/');

describe('webview HTML and CSP', () => {
  const html = panelHtml(webview, ext, 'details', 'Sandbox <b>x</b>', 'N0NCE');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';

  it('denies everything by default and allows only the nonce script and our own styles', () => {
    const rules = Object.fromEntries(
      csp
        .split(';')
        .map((r) => r.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(rules['default-src'], ["'none'"]);
    assert.deepEqual(rules['script-src'], ["'nonce-N0NCE'"]);
    assert.deepEqual(rules['style-src'], ['https://*.vscode-cdn.net', "'nonce-N0NCE'"]);
    assert.ok(!/unsafe-(eval|inline)/.test(csp), csp);
    assert.ok(!/\*(?!\.vscode-cdn)/.test(csp.replace('https://*.vscode-cdn.net', '')), 'no wildcard sources');
    assert.equal(contentSecurityPolicy('S', 'n'), "default-src 'none'; img-src S data:; style-src S 'nonce-n'; font-src S; script-src 'nonce-n'");
  });

  it('loads exactly one script, with the nonce, from the panel bundle', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="N0NCE"/);
    assert.match(scripts[0], /src="https:\/\/ext\/ext\/dist\/webviews\/details\/main\.js"/);
    assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html), 'no inline script body');
    assert.match(html, /<link rel="stylesheet" href="https:\/\/ext\/ext\/dist\/webviews\/details\/main\.css">/);
  });

  it('escapes the title (the only text in the markup) and refuses odd panel names', () => {
    assert.match(html, /<title>Sandbox &lt;b&gt;x&lt;\/b&gt;<\/title>/);
    assert.throws(() => panelHtml(webview, ext, '../x', 't'));
  });

  it('uses a fresh nonce per page', () => {
    const a = /nonce="([^"]+)"/.exec(panelHtml(webview, ext, 'logs', 't'))?.[1];
    const b = /nonce="([^"]+)"/.exec(panelHtml(webview, ext, 'logs', 't'))?.[1];
    assert.ok(a && b && a !== b && a.length >= 16);
  });

  it('limits local resources to dist/webviews (not media/, not the extension root)', () => {
    assert.deepEqual(
      WEBVIEW_RESOURCE_DIRS.map((d) => joinUri(ext, ...d).path),
      ['/ext/dist/webviews'],
    );
    assert.deepEqual(
      webviewOptions(ext).localResourceRoots?.map((u) => u.path),
      ['/ext/dist/webviews'],
    );
  });

  it('pages reach files only through the bundle, which the .vsix ships', () => {
    // A page that named media/ (or any path outside its bundle) would now be refused by VS Code:
    // assets are imported so that scripts/build.mjs copies them into dist/webviews/assets.
    const root = new URL('../../../..', import.meta.url).pathname;
    const refs: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|css)$/.test(f) && /(^|[^@\w])media\//.test(readFileSync(p, 'utf8'))) refs.push(p);
      }
    };
    walk(join(root, 'webviews'));
    assert.deepEqual(refs, []);
    assert.match(readFileSync(join(root, 'scripts/build.mjs'), 'utf8'), /outdir: 'dist\/webviews'/);
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!dist/webviews/**'), 'the webview build is packaged');
    // media/ is still packaged: the manifest's icons (VS Code loads them, not a page) live there.
    assert.ok(ignore.includes('!media/**'));
    const icons = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"icon": "(media\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(icons.length > 0);
    for (const icon of icons) assert.ok(statSync(join(root, icon)).isFile(), icon);
  });

  it('is the only place in src/ that writes a Content-Security-Policy', () => {
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(f) && readFileSync(p, 'utf8').includes('Content-Security-Policy')) hits.push(p);
      }
    };
    walk(new URL('../../../../src', import.meta.url).pathname);
    assert.deepEqual(
      hits.map((h) => h.replace(/.*\/src\//, 'src/')),
      ['src/extension/webviews/html.ts'],
    );
  });
});
