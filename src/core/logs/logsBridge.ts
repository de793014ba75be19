import type { LogsProtocol } from '../../shared/logsProtocol';
import type { HostHandlers, Notify } from '../../shared/protocol';
import { Clock, systemClock } from '../k8s/clock';
import type { LogSink } from './logFollower';
import type { LogOptions } from './logMachine';

const FLUSH_MS = 40;
/** Above this much pending text a flush happens at once (a large tail arrives in one burst). */
const FLUSH_BYTES = 256 * 1024;

export const DEFAULT_LOG_OPTIONS: LogOptions = { follow: true, timestamps: false, tailLines: 1000 };

/** The part of LogFollower the panel drives. */
export interface LogStream {
  setOptions(options: LogOptions): void;
  reconnectNow(): void;
}

/**
 * The logs panel's logic without VS Code: the webview's commands go to the stream, and the
 * stream's output is batched into `data` messages (one per 40 ms, or at once past 256 KiB) so a
 * chatty container does not post a message per line.
 */
export class LogsBridge {
  private pending = '';
  private timer: unknown;
  private stream: LogStream | undefined;
  private optionsValue: LogOptions;

  constructor(
    private readonly title: string,
    private readonly containers: string[],
    private readonly notify: Notify<LogsProtocol>,
    private readonly clock: Clock = systemClock,
    /** Told of every options change (the panel keeps the sandbox awake while following). */
    private readonly onOptions: (o: LogOptions) => void = () => undefined,
  ) {
    this.optionsValue = { ...DEFAULT_LOG_OPTIONS, container: containers[0] };
  }

  get options(): LogOptions {
    return this.optionsValue;
  }

  /** The stream is built after the bridge (it writes to `sink`). */
  attach(stream: LogStream): void {
    this.stream = stream;
  }

  readonly commands: HostHandlers<LogsProtocol>['commands'] = {
    ready: () => undefined,
    setOptions: (o) => {
      this.optionsValue = {
        follow: !!o.follow,
        timestamps: !!o.timestamps,
        tailLines: o.tailLines,
        sinceSeconds: o.sinceSeconds,
        container: o.container ?? this.optionsValue.container,
      };
      this.pending = '';
      this.stream?.setOptions(this.optionsValue);
      this.onOptions(this.optionsValue);
    },
    reconnect: () => this.stream?.reconnectNow(),
  };

  /** What the page needs after `ready`. */
  init(): void {
    this.notify('init', { title: this.title, options: this.optionsValue, containers: this.containers });
  }

  readonly sink: LogSink = {
    data: (text) => this.push(text),
    marker: (text, tone) => {
      this.flush();
      this.notify('marker', { text, tone });
    },
    status: (s) => this.notify('status', s),
    clear: () => {
      this.pending = '';
      this.notify('clear', null);
    },
  };

  dispose(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = '';
  }

  private push(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_BYTES) return this.flush();
    if (!this.timer) this.timer = this.clock.setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.notify('data', { text });
  }
}
