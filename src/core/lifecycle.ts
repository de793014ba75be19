// Lifetimes without VS Code: a disposable, a store of them disposed together (a context
// session's "ready" scope, a feature's subscriptions), and a small event emitter. VS Code's own
// Disposable and Event are structurally compatible, so the extension passes these straight on
// (pinned both ways below).
import type * as vscode from 'vscode';
import type { Fits } from './typePins';

export interface Disposable {
  dispose(): void;
}

/**
 * Everything added is disposed together, newest first (what was opened last may use what came
 * before). Adding to a disposed store disposes the item at once, so nothing outlives its scope.
 * One failing dispose does not stop the others; its error goes to `onError`.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {}

  add<T extends Disposable>(d: T): T {
    if (this.disposed) this.disposeOne(d);
    else this.items.push(d);
    return d;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Items still held (diagnostics and leak tests). */
  get size(): number {
    return this.items.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.items.splice(0).reverse()) this.disposeOne(d);
  }

  private disposeOne(d: Disposable): void {
    try {
      d.dispose();
    } catch (err) {
      this.onError(err);
    }
  }
}

export type Listener<T> = (e: T) => void;

/** Subscribes a listener; disposing the result unsubscribes it. */
export type Event<T> = (listener: Listener<T>) => Disposable;

/** A typed event: `event(listener)` subscribes, `fire` calls every listener (a throwing one is reported, not fatal). */
export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<Listener<T>>();

  constructor(
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {}

  readonly event: Event<T> = (listener) => {
    // A wrapper per subscription: the same function subscribed twice is two subscriptions.
    const l: Listener<T> = (e) => listener(e);
    this.listeners.add(l);
    return { dispose: () => void this.listeners.delete(l) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      if (!this.listeners.has(l)) continue; // unsubscribed by an earlier listener of this event
      try {
        l(e);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Subscriptions still open (diagnostics and leak tests). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/**
 * VS Code's disposables and events go into our stores and listeners, and ours go to VS Code
 * (context.subscriptions, APIs that take an Event), so each shape is pinned in both directions.
 */
export type VsCodePins = [
  Fits<vscode.Disposable, Disposable>,
  Fits<Disposable, vscode.Disposable>,
  Fits<vscode.Event<string>, Event<string>>,
  Fits<Event<string>, vscode.Event<string>>,
];
