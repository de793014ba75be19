// The life of one sandbox terminal, free of VS Code so it can be unit-tested: check the sandbox,
// offer Resume when it is hibernated (never resume on its own), wait for Ready, run the shell,
// report how it ended, and offer a new shell. The Pseudoterminal only forwards to this.
import { classifyEnding, classifyError } from '../exec/codes';
import { initialReconnect, ReconnectConfig, reconnectConfig, ReconnectEvent, ReconnectState, reduceReconnect } from '../exec/reconnect';
import type { TerminalShell } from '../exec/session/persistentShell';
import { ShellSession, ShellSessionHandlers, ShellSessionOptions } from '../exec/shellSession';
import { describeEnding, ShellEnding } from '../exec/shell';
import type { KubeClient } from '../k8s/client';
import { type Clock, timerClock } from '../k8s/clock';
import { describeError, KubeError } from '../k8s/errors';
import type { Logger } from '../logging/logger';
import type { KubeObject } from '../model/objects';
import { isSuspendRequested, podName, sandboxState } from '../model/sandbox';
import type { ActivityTracker } from '../finops/activity';
import { SessionLink, TerminalSessions } from './sessionLink';

export interface TerminalTarget {
  context: string;
  namespace: string;
  sandbox: string;
  /** Undefined: the API server's default (the pod's first container). */
  container?: string | undefined;
  shell?: string | undefined;
  /** A session of the sandbox's session holder to reattach to (after a window reload). */
  sessionId?: string;
}

/** What the flow needs from the cluster and the UI; the command layer wires the real ones. */
export interface TerminalDeps {
  /** The client of the context the terminal was opened on (kept even if the user switches). */
  client: KubeClient;
  getSandbox(signal?: AbortSignal): Promise<KubeObject>;
  resume(): Promise<unknown>;
  waitReady(signal: AbortSignal): Promise<KubeObject>;
  /** Live changes of this sandbox (undefined: deleted); may go quiet if the session is disposed. */
  watch(onChange: (sandbox: KubeObject | undefined) => void): { dispose(): void };
  /** Shows "hibernated" with a Resume button; resolves true when the user chose Resume. */
  askResume(message: string): Promise<boolean>;
  openShell?: (client: KubeClient, o: ShellSessionOptions, h: ShellSessionHandlers) => Promise<ShellSession>;
  /** Records use of the sandbox for idle tracking (FinOps); an open shell holds it awake. */
  activity?: Pick<ActivityTracker, 'touch'> & Partial<Pick<ActivityTracker, 'hold'>>;
  /** Persistent sessions; absent: the shell ends with its connection. */
  sessions?: TerminalSessions | undefined;
  log: Logger;
}

export interface TerminalScreen {
  write(text: string): void;
  close(): void;
}

export type FlowState = 'idle' | 'checking' | 'waiting' | 'hibernated' | 'resuming' | 'connecting' | 'open' | 'ended' | 'final' | 'disposed';

const CSI = '\x1b[';
const dim = (s: string) => `${CSI}2m${s}${CSI}0m`;
const yellow = (s: string) => `${CSI}33m${s}${CSI}0m`;
const red = (s: string) => `${CSI}31m${s}${CSI}0m`;
const line = (s: string) => `\r\n${s}\r\n`;

export const NEW_SHELL_HINT = 'Press Enter to open a new shell, or Esc to close this terminal.';
export const REATTACH_HINT = 'The session is still running in the sandbox: press Enter to reattach, or Esc to close this terminal.';
export const HIBERNATED_HINT = 'Press R to resume it (or use the Resume button), or Esc to close this terminal.';

export class TerminalFlow {
  private stateValue: FlowState = 'idle';
  private shell: TerminalShell | undefined;
  private readonly link: SessionLink | undefined;
  private reattachTimer: unknown;
  /** Whether and when a broken connection is reattached: core/exec/reconnect.ts decides, this performs. */
  private reconnect: ReconnectState = initialReconnect();
  private readonly reconnectConfig: ReconnectConfig;
  private readonly clock: Clock;
  private size = { cols: 80, rows: 24 };
  private abort: AbortController | undefined;
  private watcher: { dispose(): void } | undefined;
  private hibernatedWhileOpen = false;
  /** Counts shells opened, so an old shell's late ending cannot touch a newer one. */
  private generation = 0;
  private seenInModel = false;
  private held: { dispose(): void } | undefined;

  constructor(
    readonly target: TerminalTarget,
    private readonly deps: TerminalDeps,
    private readonly screen: TerminalScreen,
  ) {
    this.link = deps.sessions ? new SessionLink(deps.sessions, (t) => screen.write(t), target.sessionId) : undefined;
    this.reconnectConfig = reconnectConfig(deps.sessions?.reattachDelayMs, deps.sessions?.random);
    this.clock = deps.sessions?.clock ?? timerClock;
  }

  /** The holder's session this terminal shows, if any (for the reload list and tests). */
  get sessionId(): string | undefined {
    return this.link?.id;
  }

  get state(): FlowState {
    return this.stateValue;
  }

  /** The terminal opened: start watching and connect. */
  start(size?: { cols: number; rows: number }): void {
    if (size) this.size = size;
    this.watcher = this.deps.watch((sb) => this.onSandboxChange(sb));
    void this.connectFlow();
  }

  input(data: string): void {
    switch (this.stateValue) {
      case 'open':
        this.deps.activity?.touch(this.target, 'terminal-input');
        this.shell?.write(data);
        return;
      case 'ended':
        if (data === '\r') this.react({ type: 'retry' });
        else if (data === '\x1b') this.screen.close();
        return;
      case 'hibernated':
        if (data === 'r' || data === 'R') void this.resumeFlow();
        else if (data === '\r') void this.connectFlow();
        else if (data === '\x1b') this.screen.close();
        return;
      case 'final':
        if (data === '\x1b' || data === '\r') this.screen.close();
        return;
      case 'waiting':
      case 'resuming':
      case 'checking':
      case 'connecting':
        // Ctrl+C stops waiting; the sandbox keeps whatever state it was asked for.
        if (data === '\x03') {
          if (this.reconnect.phase.kind === 'backoff') return this.ended(yellow('Stopped reattaching.'));
          this.abort?.abort();
        }
        return;
      default:
        return;
    }
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.shell?.resize(cols, rows);
  }

  /** The user closed the terminal. */
  dispose(): void {
    this.stateValue = 'disposed';
    this.abort?.abort();
    this.watcher?.dispose();
    this.react({ type: 'dispose' }); // cancels a pending reattach
    this.shell?.close();
    this.link?.dispose();
    this.holdWhileOpen();
  }

  private set(state: FlowState): void {
    if (this.stateValue !== 'disposed') this.stateValue = state;
    this.holdWhileOpen();
  }

  /** An open shell keeps the sandbox from auto-hibernating, however silent it is. */
  private holdWhileOpen(): void {
    if (this.stateValue === 'open') this.held ??= this.deps.activity?.hold?.(this.target, 'terminal-open');
    else {
      this.held?.dispose();
      this.held = undefined;
    }
  }

  private get disposed(): boolean {
    return this.stateValue === 'disposed';
  }

  private where(): string {
    return `${this.target.namespace}/${this.target.sandbox}`;
  }

  /** Reads the sandbox from the server (the terminal's own client) and acts on its state. */
  private async connectFlow(): Promise<void> {
    this.set('checking');
    this.abort = new AbortController();
    let sb: KubeObject;
    try {
      sb = await this.deps.getSandbox(this.abort.signal);
    } catch (err) {
      if (this.disposed) return;
      if (err instanceof KubeError && err.isNotFound) return this.finalMessage(`Sandbox ${this.where()} no longer exists.`);
      // While reattaching, a network that is still down is retried like the socket itself.
      return this.react({ type: 'connect-failed', verdict: classifyError(err) }, red(`Cannot read sandbox ${this.where()}: ${describeError(err)}`));
    }
    if (this.disposed) return;
    const state = sandboxState(sb);
    if (state === 'Hibernated' || state === 'Hibernating') return this.offerResume('This sandbox is hibernated.');
    if (state === 'Expired' || state === 'Failed' || state === 'Finished')
      return this.finalMessage(`Sandbox ${this.where()} is ${state.toLowerCase()}; it cannot run a shell.`);
    if (state === 'Starting') {
      this.screen.write(dim(`Waiting for ${this.target.sandbox} to become Ready… (Ctrl+C stops waiting)`) + '\r\n');
      sb = (await this.waitReady('waiting')) as KubeObject;
      if (!sb) return;
    }
    await this.connect(sb);
  }

  private async resumeFlow(): Promise<void> {
    if (this.stateValue !== 'hibernated') return;
    this.set('resuming');
    this.abort = new AbortController();
    this.screen.write(dim(`Resuming ${this.target.sandbox}… waiting for Ready (Ctrl+C stops waiting)`) + '\r\n');
    try {
      await this.deps.resume();
    } catch (err) {
      if (this.disposed) return;
      return this.ended(red(`Resume failed: ${describeError(err)}`));
    }
    const sb = await this.waitReady('resuming');
    if (sb) await this.connect(sb);
  }

  /** Waits for Ready; returns undefined (having said why) when it did not get there. */
  private async waitReady(state: 'waiting' | 'resuming'): Promise<KubeObject | undefined> {
    this.set(state);
    const abort = this.abort ?? new AbortController();
    this.abort = abort;
    try {
      return await this.deps.waitReady(abort.signal);
    } catch (err) {
      if (this.disposed) return undefined;
      if (this.stateValue === 'hibernated') return undefined; // the watch saw a hibernate meanwhile
      if (abort.signal.aborted || (err instanceof KubeError && err.kind === 'cancelled')) this.ended(yellow('Stopped waiting.'));
      else this.ended(red(describeError(err)));
      return undefined;
    }
  }

  private async connect(sb: KubeObject): Promise<void> {
    if (this.disposed) return;
    const pod = podName(sb);
    if (!pod) return this.ended(red(`Sandbox ${this.where()} has no pod yet.`));
    this.set('connecting');
    this.hibernatedWhileOpen = false;
    const generation = ++this.generation;
    const plain = this.deps.openShell ?? ((...a: Parameters<typeof ShellSession.open>) => ShellSession.open(...a));
    const link = this.link;
    const open = link ? (c: KubeClient, o: ShellSessionOptions, h: ShellSessionHandlers) => link.open(c, o, h, plain) : plain;
    const abort = (this.abort = new AbortController());
    try {
      const shell = await open(
        this.deps.client,
        { namespace: this.target.namespace, pod, container: this.target.container, shell: this.target.shell, size: this.size, signal: abort.signal },
        {
          output: (text) => {
            this.deps.activity?.touch(this.target, 'terminal-output');
            this.screen.write(text);
          },
          end: (e) => void this.onShellEnd(generation, e),
        },
      );
      // Closed, hibernated or deleted while the socket was opening: this shell is not wanted.
      if (this.stateValue !== 'connecting') return shell.close();
      this.shell = shell;
      this.react({ type: 'connected', at: this.clock.now() });
      this.set('open');
      this.deps.log.info(`terminal ${this.where()} (${this.target.context}) open on pod ${pod} over ${shell.protocol}`);
    } catch (err) {
      if (this.stateValue !== 'connecting') return;
      if (abort.signal.aborted) return this.ended(yellow('Stopped connecting.'));
      this.react({ type: 'connect-failed', verdict: classifyError(err) }, red(describeError(err)));
    }
  }

  private async onShellEnd(generation: number, e: ShellEnding): Promise<void> {
    if (generation !== this.generation || this.disposed) return;
    this.shell = undefined;
    this.link?.ended(e);
    this.deps.log.info(`terminal ${this.where()}: ${describeEnding(e, this.target.container)}`);
    if (this.hibernatedWhileOpen) return; // onSandboxChange already explained it
    if (this.link?.bumped) return this.ended(yellow('This session was attached from another terminal.'));
    if (e.kind === 'exited') return this.ended(e.code === 0 ? dim(`[${describeEnding(e)}]`) : yellow(`[${describeEnding(e)}]`));
    if (e.kind === 'no-shell') return this.ended(red(`${describeEnding(e, this.target.container)}. Set agentSandbox.terminal.shell to a shell the image has.`));
    // Lost or failed: the sandbox's own state often says why (hibernated or deleted meanwhile).
    const why = await this.explainFromServer();
    if (this.disposed) return;
    if (why === 'hibernated') {
      this.link?.lostToHibernation();
      return this.offerResume('The sandbox was hibernated; the shell ended.');
    }
    if (why === 'deleted') return this.finalMessage(`Sandbox ${this.where()} was deleted; the shell ended.`);
    const verdict = classifyEnding(e);
    if (!verdict) return this.ended(red(describeEnding(e)));
    const resumable = !!this.link?.isPersistent;
    if (resumable) this.link?.lost();
    this.react({ type: 'lost', at: this.clock.now(), verdict, resumable }, red(describeEnding(e)));
  }

  /** Feeds the reconnect reducer and performs its effect; `stopped` is what the terminal says if it stops there. */
  private react(event: ReconnectEvent, stopped = ''): void {
    const { state, effect } = reduceReconnect(this.reconnect, event, this.reconnectConfig);
    this.reconnect = state;
    switch (effect.kind) {
      case 'connect':
        return void this.connectFlow();
      case 'wait':
        return this.scheduleReattach(effect.verdict.message, effect.ms);
      case 'give-up':
      case 'wait-for-user':
        return this.showEnded(stopped);
      case 'cancel':
        return this.clock.clearTimeout(this.reattachTimer);
      case 'none':
        return;
    }
  }

  /** The session is still running in the sandbox: connect to it again after `ms` (backoff with jitter). */
  private scheduleReattach(why: string, ms: number): void {
    this.set('connecting');
    this.screen.write(line(dim(`Connection lost (${why}); reattaching…`)));
    this.clock.clearTimeout(this.reattachTimer);
    this.reattachTimer = this.clock.setTimeout(() => {
      if (!this.disposed) this.react({ type: 'timer' });
    }, ms);
  }

  private async explainFromServer(): Promise<'hibernated' | 'deleted' | undefined> {
    try {
      const sb = await this.deps.getSandbox();
      return isSuspendRequested(sb) ? 'hibernated' : undefined;
    } catch (err) {
      return err instanceof KubeError && err.isNotFound ? 'deleted' : undefined;
    }
  }

  /** From the live model: a hibernate (or delete) requested while the shell runs or we wait ends it now. */
  private onSandboxChange(sb: KubeObject | undefined): void {
    if (sb) this.seenInModel = true;
    if (!['open', 'connecting', 'waiting'].includes(this.stateValue)) return;
    const gone = !sb && this.seenInModel;
    if (!gone && !(sb && isSuspendRequested(sb))) return;
    this.hibernatedWhileOpen = true;
    this.link?.lostToHibernation();
    this.abort?.abort();
    this.shell?.close();
    if (gone) this.finalMessage(`Sandbox ${this.where()} was deleted; the shell ended.`);
    else this.offerResume(this.stateValue === 'open' ? 'The sandbox was hibernated; the shell ended.' : 'This sandbox is being hibernated.');
  }

  private offerResume(message: string): void {
    this.react({ type: 'stop' });
    this.set('hibernated');
    this.screen.write(line(yellow(message)) + dim(HIBERNATED_HINT) + '\r\n');
    void this.deps.askResume(`${this.target.sandbox}: ${message}`).then((yes) => {
      if (yes) void this.resumeFlow();
    });
  }

  /** Ends here, not through the reducer: nothing is reattached until the user asks. */
  private ended(message: string): void {
    this.react({ type: 'stop' });
    this.showEnded(message);
  }

  private showEnded(message: string): void {
    this.set('ended');
    this.screen.write(line(message) + dim(this.link?.id ? REATTACH_HINT : NEW_SHELL_HINT) + '\r\n');
  }

  private finalMessage(message: string): void {
    this.react({ type: 'stop' });
    this.set('final');
    this.screen.write(line(yellow(message)) + dim('Press Enter or Esc to close this terminal.') + '\r\n');
  }
}
