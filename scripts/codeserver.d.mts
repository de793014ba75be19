// Types for codeserver.mjs (used from TypeScript by test/e2e/harness/).
import type { ChildProcess } from 'node:child_process';

export const PROJECT_ROOT: string;
export const CODE_SERVER_VERSION: string;
export const NODE_VERSION: string;
export const CACHE_DIR: string;
/** Hash of the install recipe (versions + install code); part of the install dir's name. */
export const CODE_SERVER_RECIPE: string;
export const CHROMIUM_ARGS: string[];

export type Log = (message: string) => void;

export interface CodeServerInstall {
  codeServerVersion: string;
  nodeVersion: string;
  recipe: string;
  nodeBin: string;
  nodeDir: string;
  entry: string;
  installDir: string;
  /** Seconds the cold install took (recorded in the marker). */
  seconds?: number;
  installedAt?: string;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  folderUrl: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export function chromiumPath(): string;
export function codeServerDir(): string;
export function readMarker(): CodeServerInstall | undefined;
export function aptRecipe(): string;
export function aptStampFile(): string;
export function e2eSupport(): { ok: true; reason?: undefined } | { ok: false; reason: string };
export function ensureAptPackages(which?: Array<'chromium' | 'gssapi'>, options?: { log?: Log }): Promise<void>;
export function ensureCodeServer(options?: { log?: Log }): Promise<CodeServerInstall>;
export function ensureAll(options?: { log?: Log }): Promise<CodeServerInstall>;
export function freePort(): Promise<number>;
export function installExtension(install: CodeServerInstall, vsix: string, options: { extensionsDir: string; userDataDir: string; log?: Log }): Promise<void>;
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): string;
export function machineScopedSettings(): Set<string>;
export function startCodeServer(
  install: CodeServerInstall,
  options: {
    port?: number;
    userDataDir: string;
    extensionsDir: string;
    folder?: string;
    env?: Record<string, string | undefined>;
    logFile?: string;
    timeoutMs?: number;
    log?: Log;
  },
): Promise<RunningCodeServer>;
