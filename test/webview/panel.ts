// Opens a real webview panel (webviews/<name>/main.ts) in a happy-dom page: the markup the host
// serves (panelHtml), the bundle esbuild makes of the panel as scripts/build.mjs does (CSS
// dropped), and an acquireVsCodeApi stub that records what the page posts. Tests post host
// messages of the panel's typed protocol and read the DOM.
//
// Why esbuild, not tsx: main.ts imports CSS, runs against the page's globals at load, and keeps
// its state in module scope. A bundle evaluated in each Window's own context gives every test a
// fresh page, with nothing DOM-like put on Node's global, and is the code that ships.
import * as esbuild from 'esbuild';
import { Window, type Element, type HTMLElement } from 'happy-dom';
import type { HostMessage, Protocol, ViewMessage } from '../../src/shared/protocol';
import { panelHtml, type UriLike } from '../../src/extension/webviews/html';

export type PanelName = 'details' | 'pool' | 'logs';

const bundles = new Map<PanelName, Promise<string>>();

function bundle(name: PanelName): Promise<string> {
  let b = bundles.get(name);
  if (!b) {
    b = esbuild
      .build({
        entryPoints: [`webviews/${name}/main.ts`],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'iife', // evaluated as a classic script; the shipped ESM bundle has no imports or exports either
        target: 'es2022',
        outdir: 'out', // names the outputs only (write: false)
        loader: { '.css': 'empty' },
        logLevel: 'warning',
      })
      .then((r) => r.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '');
    bundles.set(name, b);
  }
  return b;
}

class PageUri implements UriLike {
  constructor(readonly path: string) {}
  with(change: { path: string }): PageUri {
    return new PageUri(change.path);
  }
  toString(): string {
    return `https://webview.test${this.path}`;
  }
}

export interface Panel<P extends Protocol> {
  window: Window;
  document: Window['document'];
  /** Everything the page posted to the host, in order. */
  posted: ViewMessage<P>[];
  /** Delivers one host message, as VS Code does: a message event on the window. */
  post(message: HostMessage<P>): void;
  notify<K extends Extract<keyof P['notifications'], string>>(method: K, params: P['notifications'][K]): void;
  /** Resolves with the first posted message (from index `from` on) that `match` accepts. */
  nextPost(match: (m: ViewMessage<P>) => boolean, from?: number): Promise<ViewMessage<P>>;
  /** Resolves once `check` holds, looking again on every DOM change under <body>; fails after 5 s. */
  dom(check: () => boolean, what: string): Promise<void>;
  /** The element for `selector` (an HTMLElement unless told); fails the test when there is none. */
  $<T extends Element = HTMLElement>(selector: string): T;
  close(): Promise<void>;
}

export async function openPanel<P extends Protocol>(name: PanelName, title = `${name} panel`): Promise<Panel<P>> {
  const code = await bundle(name);
  const window = new Window({
    url: 'https://webview.test/',
    width: 1024,
    height: 768,
    settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true, navigator: { userAgent: 'happy-dom' } },
  });
  // Browsers reflect the nonce attribute as element.nonce (the log panel reads it); happy-dom does
  // not. Its element classes are shared between windows, so this is added once.
  if (!('nonce' in window.HTMLElement.prototype))
    Object.defineProperty(window.HTMLElement.prototype, 'nonce', {
      get(this: HTMLElement) {
        return this.getAttribute('nonce') ?? '';
      },
      set(this: HTMLElement, v: string) {
        this.setAttribute('nonce', v);
      },
    });
  const document = window.document;
  const page = new PageUri('/ext/');
  const webview = { cspSource: 'https://webview.test', asWebviewUri: (u: UriLike) => u };
  document.write(panelHtml(webview, page, name, title, 'N0NCE'));

  const posted: ViewMessage<P>[] = [];
  const waiters = new Set<() => void>();
  const wakeAll = () => [...waiters].forEach((w) => w());
  let state: unknown;
  Object.assign(window, {
    acquireVsCodeApi: () => ({
      postMessage: (m: ViewMessage<P>) => {
        // Through structured clone, as VS Code delivers it: nothing but data crosses.
        posted.push(structuredClone(m));
        wakeAll();
      },
      getState: () => state,
      setState: (s: unknown) => (state = s),
    }),
  });
  window.eval(code);

  const post = (message: HostMessage<P>) => void window.dispatchEvent(new window.MessageEvent('message', { data: structuredClone(message) }));
  const observer = new window.MutationObserver(wakeAll);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });

  const waitUntil = <T>(found: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const look = () => {
        const v = found();
        if (v === undefined) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => (cleanup(), reject(new Error(`timed out waiting for ${what}`))), 5000);
      const cleanup = () => (clearTimeout(timer), waiters.delete(look));
      waiters.add(look);
      look();
    });

  return {
    window,
    document,
    posted,
    post,
    notify: (method, params) => post({ kind: 'notification', method, params } as HostMessage<P>),
    nextPost: (match, from = 0) => waitUntil(() => posted.slice(from).find(match), 'a posted message'),
    dom: (check, what) => waitUntil(() => (check() ? true : undefined), what).then(() => undefined),
    $: <T extends Element>(selector: string) => {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`no element matches ${selector}; the page is:\n${document.body.innerHTML}`);
      return el as unknown as T;
    },
    close: async () => {
      observer.disconnect();
      await window.happyDOM.close();
    },
  };
}
