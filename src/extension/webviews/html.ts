import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { Fits } from '../../core/typePins';

/**
 * The one place that writes a webview's HTML and its Content-Security-Policy. Every panel loads
 * exactly one bundled script (`dist/webviews/<panel>/main.js`, with a fresh nonce) and its CSS;
 * nothing inline, no eval, no network. Data reaches the page only as postMessage payloads, never
 * templated into the markup. Type-only `vscode` import: this file is unit-tested in plain Node.
 */

/**
 * The one folder (relative to the extension root) a webview may load files from: the webview build.
 * A page's CSS and any asset it imports are bundled there by scripts/build.mjs, so media/ (the
 * extension's icons, which VS Code itself loads, not the page) stays out of reach.
 */
export const WEBVIEW_RESOURCE_DIRS = [['dist', 'webviews']] as const;

/** Minimal Uri surface used here (a vscode.Uri satisfies it). */
export interface UriLike {
  readonly path: string;
  with(change: { path: string }): UriLike;
  toString(): string;
}

export interface WebviewLike {
  readonly cspSource: string;
  asWebviewUri(uri: UriLike): UriLike;
}

/** The panels pass vscode.Uri and vscode.Webview where these shapes are asked for. */
export type WebviewPins = [Fits<vscode.Uri, UriLike>, Fits<vscode.Webview, WebviewLike>];

export function joinUri(base: UriLike, ...segments: string[]): UriLike {
  return base.with({ path: [base.path.replace(/\/+$/, ''), ...segments].join('/') });
}

/** Options for createWebviewPanel: scripts on, and files only from our own webview build. */
export function webviewOptions(extensionUri: UriLike): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: WEBVIEW_RESOURCE_DIRS.map((dir) => joinUri(extensionUri, ...dir) as vscode.Uri),
  };
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    // The nonce lets a page tag the <style> elements a library creates (xterm.js); style
    // attributes and untagged inline styles stay blocked.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The HTML for panel `panel` (a folder under `webviews/`). `title` is the only text placed in the
 * markup, escaped; the page renders everything else from messages after it posts `ready`.
 */
export function panelHtml(webview: WebviewLike, extensionUri: UriLike, panel: string, title: string, nonce = makeNonce()): string {
  if (!/^[a-z][a-z0-9-]*$/.test(panel)) throw new Error(`invalid panel name "${panel}"`);
  const root = joinUri(extensionUri, 'dist', 'webviews', panel);
  const script = webview.asWebviewUri(joinUri(root, 'main.js')).toString();
  const style = webview.asWebviewUri(joinUri(root, 'main.css')).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(style)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script type="module" nonce="${nonce}" src="${escapeHtml(script)}"></script>
</body>
</html>`;
}
