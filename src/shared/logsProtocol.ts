import type { Protocol } from './protocol';

/** What the user chose in the toolbar; the host restarts the stream when these change. */
export interface LogOptionsView {
  follow: boolean;
  timestamps: boolean;
  /** Lines from the end to start with; undefined = the whole log. */
  tailLines?: number | undefined;
  /** Only lines newer than this many seconds. */
  sinceSeconds?: number | undefined;
  container?: string | undefined;
}

/** Where the stream is, shown in the panel's status line. */
export interface LogStatusView {
  state: 'connecting' | 'streaming' | 'waiting' | 'retrying' | 'ended' | 'failed';
  text: string;
  pod?: string | undefined;
}

export interface LogsProtocol extends Protocol {
  commands: {
    ready: null;
    setOptions: LogOptionsView;
    /** Reconnect now (skipping a backoff wait). */
    reconnect: null;
  };
  requests: Record<string, never>;
  notifications: {
    /** Sets the panel up; sent after `ready` and again when the options are reset. */
    init: { title: string; options: LogOptionsView; containers: string[] };
    /** Log text, ANSI colours intact, lines separated by \n. */
    data: { text: string };
    /** A visible divider: a pod restarted, the sandbox hibernated, the connection dropped. */
    marker: { text: string; tone: 'info' | 'warning' | 'error' };
    status: LogStatusView;
    /** Clear the terminal (before a re-read with new options). */
    clear: null;
  };
}
