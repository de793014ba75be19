import type * as vscode from 'vscode';
import type { Fits } from '../typePins';

/** The logging surface core code sees. A VS Code LogOutputChannel satisfies it (pinned below). */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** The extension injects its LogOutputChannel wherever core takes a Logger. */
export type LoggerPin = Fits<vscode.LogOutputChannel, Logger>;
