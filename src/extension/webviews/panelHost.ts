import * as vscode from 'vscode';
import type { Logger } from '../../core/logging/logger';
import { HostHandlers, hostDispatcher, HostMessage, notifier, Protocol } from '../../shared/protocol';
import { panelHtml, webviewOptions } from './html';

type Keys<T> = Extract<keyof T, string>;

/** Messages kept for a page that has not said `ready` yet; beyond this it re-syncs on `ready`. */
const MAX_QUEUED = 5000;

/**
 * A webview panel speaking protocol P. Notifications posted before the page said `ready` are
 * queued (a webview drops messages sent before its script runs), and after a reload of the page
 * (the panel was hidden and shown again) the panel re-sends state through `onReady`.
 * Everything registered with `own()` is disposed with the panel.
 */
export class PanelHost<P extends Protocol & { commands: { ready: null } }> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly queue: HostMessage<P>[] = [];
  private isReady = false;
  private disposed = false;
  private readonly onDisposeCallbacks: (() => void)[] = [];
  readonly notify: <K extends Keys<P['notifications']>>(method: K, params: P['notifications'][K]) => void;

  constructor(
    extensionUri: vscode.Uri,
    viewType: string,
    webviewName: string,
    title: string,
    handlers: HostHandlers<P>,
    onReady: () => void,
    private readonly log: Logger,
    /** Keep the page alive while hidden (the log terminal's scrollback); others re-render on `ready`. */
    retainContextWhenHidden = false,
  ) {
    const options = { ...webviewOptions(extensionUri), retainContextWhenHidden };
    this.panel = vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, options);
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'agent-sandbox.svg');
    const withReady: HostHandlers<P> = {
      requests: handlers.requests,
      commands: {
        ...handlers.commands,
        ready: () => {
          this.isReady = true;
          // Older queued messages first, then the fresh state onReady sends.
          for (const m of this.queue.splice(0)) void this.panel.webview.postMessage(m);
          onReady();
        },
      },
    };
    const dispatch = hostDispatcher<P>(
      withReady,
      (m) => this.post(m, true),
      (msg) => this.log.error(`${viewType}: ${msg}`),
    );
    this.notify = notifier<P>((m) => this.post(m, false));
    this.own(this.panel.webview.onDidReceiveMessage((m: unknown) => void dispatch(m)));
    this.own(this.panel.onDidDispose(() => this.dispose()));
    if (!retainContextWhenHidden) {
      // A hidden page is torn down; it posts `ready` again when shown and gets fresh state then.
      this.own(
        this.panel.onDidChangeViewState((e) => {
          if (!e.webviewPanel.visible) {
            this.isReady = false;
            this.queue.length = 0;
          }
        }),
      );
    }
    this.panel.webview.html = panelHtml(this.panel.webview, extensionUri, webviewName, title);
  }

  own<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.disposables.push(d);
    return d;
  }

  onDidDispose(cb: () => void): void {
    this.onDisposeCallbacks.push(cb);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private post(m: HostMessage<P>, always: boolean): void {
    if (this.disposed) return;
    // Responses answer a message the page sent, so it is listening; notifications may be early.
    if (!this.isReady && !always) {
      if (this.queue.length < MAX_QUEUED) this.queue.push(m);
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) {
      try {
        d.dispose();
      } catch (err) {
        this.log.error(`disposing a panel resource failed: ${(err as Error).message}`);
      }
    }
    for (const cb of this.onDisposeCallbacks.splice(0)) cb();
    this.panel.dispose();
  }
}
