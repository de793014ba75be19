// The persistent-session layer of one terminal, above the exec shell and free of VS Code: which
// session the terminal shows, where its helper is, the byte offset already shown (the resume
// point), and what to say on (re)attach. TerminalFlow asks it for a shell; when to reattach is
// decided by core/exec/reconnect.ts.
import type { HelperPlace } from '../exec/session/helperInstall';
import { describeAge, SessionEvent } from '../exec/session/marker';
import { PersistentShell, PersistentShellHandlers, PersistentShellOptions, TerminalShell } from '../exec/session/persistentShell';
import type { ShellEnding } from '../exec/shell';
import { ShellSession, ShellSessionHandlers, ShellSessionOptions } from '../exec/shellSession';
import type { Clock } from '../k8s/clock';
import type { KubeClient } from '../k8s/client';

/** What the terminal needs from the extension to keep sessions (absent: plain shells, as before). */
export interface TerminalSessions {
  /** The verified helper in this pod's container, or why sessions cannot persist there. */
  prepare(pod: string, container: string | undefined, signal: AbortSignal): Promise<HelperPlace | { unavailable: string }>;
  /** Ends the session in the sandbox (the user closed its terminal). */
  kill(pod: string, container: string | undefined, place: HelperPlace, id: string): Promise<void>;
  /** Remembers the terminal's session for a window reload; undefined forgets it. */
  remember(id: string | undefined): void;
  /** False while the window is shutting down (reload): closing then keeps the session. */
  userClosing(): boolean;
  newId(): string;
  /** How long after a terminal closes its session is ended, if the window is still there (default 3 s). */
  closeGraceMs?: number;
  /** First delay before a reattach (default 1 s); later ones grow ×2 with jitter, up to 10×. */
  reattachDelayMs?: number;
  /** Time and randomness for the reattach backoff (tests pin them). */
  clock?: Clock;
  random?: () => number;
  openPersistent?: (client: KubeClient, o: PersistentShellOptions, h: PersistentShellHandlers) => Promise<PersistentShell>;
}

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const yellow = (s: string) => `\x1b[33m${s}\x1b[0m`;

export class SessionLink {
  id: string | undefined;
  private place: HelperPlace | undefined;
  private pod: string | undefined;
  private container: string | undefined;
  private offset = 0;
  private noted = false;
  /** Why the earlier session may be gone, for the message when a new one starts in its place. */
  private endedBecause: string | undefined;
  private persistent: PersistentShell | undefined;

  constructor(
    private readonly sessions: TerminalSessions,
    private readonly write: (text: string) => void,
    /** A session to reattach to (after a window reload). */
    id?: string,
  ) {
    this.id = id;
    if (id) this.endedBecause = 'before the reload';
  }

  /** True when the current shell is kept by the holder (a loss can be reattached). */
  get isPersistent(): boolean {
    return !!this.persistent;
  }

  /** Opens the shell: attached to the session when the helper is there, else a plain shell (said once). */
  async open(client: KubeClient, o: ShellSessionOptions, h: ShellSessionHandlers, plainOpen: typeof ShellSession.open): Promise<TerminalShell> {
    this.persistent = undefined;
    const signal = o.signal ?? new AbortController().signal;
    const place = await this.sessions
      .prepare(o.pod, o.container, signal)
      .catch((err: unknown) => ({ unavailable: err instanceof Error ? err.message : String(err) }));
    if ('unavailable' in place) {
      if (!this.noted) this.write(dim(`Sessions cannot persist in this sandbox (${place.unavailable}); this shell ends with its connection.`) + '\r\n');
      this.noted = true;
      return plainOpen(client, o, h);
    }
    if (this.pod && this.pod !== o.pod) this.offset = 0; // a new pod (resumed): nothing of the old output is there
    this.place = place;
    this.pod = o.pod;
    this.container = o.container;
    const id = (this.id ??= this.sessions.newId());
    const open = this.sessions.openPersistent ?? ((...a: Parameters<typeof PersistentShell.open>) => PersistentShell.open(...a));
    const shell = await open(
      client,
      { ...o, place, id, since: this.offset },
      { ...h, event: (e) => this.onEvent(e), output: (...a) => h.output(...a), end: (e) => h.end(e) },
    );
    this.persistent = shell;
    return shell;
  }

  private onEvent(e: SessionEvent): void {
    if (e.event !== 'attached') return;
    this.sessions.remember(this.id);
    const expected = this.offset > 0 || this.endedBecause !== undefined;
    if (!e.new) {
      const lost = e.lost > 0 ? `; ${Math.ceil(e.lost / 1024)} KiB of output while away was not kept` : '';
      this.write(dim(`Reattached (session ${describeAge(e.now - e.started)} old${lost})`) + '\r\n');
    } else if (expected) {
      this.write(
        yellow(`The earlier session ended${this.endedBecause && this.endedBecause !== 'lost' ? ` ${this.endedBecause}` : ''}; this is a new shell.`) + '\r\n',
      );
    }
    this.endedBecause = undefined;
  }

  /** The shell connection ended: remember the offset; after `exited` the session is gone. */
  ended(e: ShellEnding): void {
    if (this.persistent) this.offset = this.persistent.offset;
    if (e.kind === 'exited' && this.persistent) {
      this.id = undefined;
      this.offset = 0;
      this.sessions.remember(undefined);
    }
  }

  /** The connection broke while the session may live on: a new shell in its place then says the earlier one ended. */
  lost(): void {
    if (this.persistent || this.id) this.endedBecause ??= 'lost';
  }

  get bumped(): boolean {
    return !!this.persistent?.bumped;
  }

  /** The sandbox was hibernated or its pod replaced: the session died with it. */
  lostToHibernation(): void {
    if (this.id) this.endedBecause = 'when the sandbox was hibernated';
  }

  /**
   * The terminal closed: end the session in the sandbox too, unless the window is going away (a
   * reload closes every terminal, sometimes before deactivate() runs, hence the short grace).
   */
  dispose(): void {
    const end = () => {
      if (!this.sessions.userClosing()) return;
      this.sessions.remember(undefined);
      if (this.id && this.place && this.pod) void this.sessions.kill(this.pod, this.container, this.place, this.id).catch(() => undefined);
    };
    const grace = this.sessions.closeGraceMs ?? 3000;
    if (grace <= 0) return end();
    setTimeout(end, grace).unref?.();
  }
}
