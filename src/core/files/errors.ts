import { KubeError } from '../k8s/errors';
import type { ExecResult } from '../exec/status';

/**
 * Typed file errors from core. The VS Code adapter maps each code to the matching FileSystemError
 * (FileNotFound, FileExists, …); `TooLarge` and `NotRegular` become plain errors with the message.
 */
export type FileErrorCode =
  | 'FileNotFound'
  | 'FileExists'
  | 'FileNotADirectory'
  | 'FileIsADirectory'
  | 'NoPermissions'
  | 'Unavailable'
  | 'TooLarge'
  | 'NotRegular'
  | 'NotEmpty'
  | 'NoSpace'
  /** A save refused: the file changed in the sandbox since this window read or saved it. */
  | 'Modified'
  | 'Unknown';

export class SandboxFileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
    readonly path?: string,
    /** Unavailable because the sandbox is hibernated: the UI offers Resume. */
    readonly hibernated = false,
    /** TooLarge: the file's size in bytes. */
    readonly size?: number,
  ) {
    super(message);
    this.name = 'SandboxFileError';
  }
}

/** Exit codes the fixed scripts use (errno numbers where one fits, so they read naturally). */
export const EXIT = {
  ok: 0,
  notFound: 2,
  noPermission: 13,
  exists: 17,
  notADirectory: 20,
  isADirectory: 21,
  tooLarge: 27,
  notEmpty: 39,
  notRegular: 70,
  noSpace: 28,
  damaged: 74,
  truncated: 75,
  modified: 116, // ESTALE
  noCommand: 127,
} as const;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** What a failed script exit means, with the stderr text kept for the cases we did not foresee. */
export function errorFromExit(code: number, path: string, stderr: string, stdout = ''): SandboxFileError {
  const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
  switch (code) {
    case EXIT.notFound:
      return new SandboxFileError('FileNotFound', `${path} does not exist in the sandbox`, path);
    case EXIT.noPermission:
      return new SandboxFileError('NoPermissions', `No permission for ${path}${detail ? `: ${detail}` : ''}`, path);
    case EXIT.exists:
      return new SandboxFileError('FileExists', `${path} already exists`, path);
    case EXIT.notADirectory:
      return new SandboxFileError('FileNotADirectory', `${path} (or one of its parents) is not a directory`, path);
    case EXIT.isADirectory:
      return new SandboxFileError('FileIsADirectory', `${path} is a directory`, path);
    case EXIT.tooLarge: {
      const size = Number(stdout.trim());
      return new SandboxFileError(
        'TooLarge',
        `${path} is ${Number.isFinite(size) ? formatBytes(size) : 'too large'}`,
        path,
        false,
        Number.isFinite(size) ? size : undefined,
      );
    }
    case EXIT.notEmpty:
      return new SandboxFileError('NotEmpty', `${path} is not empty`, path);
    case EXIT.notRegular:
      return new SandboxFileError(
        'NotRegular',
        `${path} is not a regular file (${stdout.trim() || 'a socket, pipe or device'}); it cannot be opened as a document`,
        path,
      );
    case EXIT.noSpace:
      return new SandboxFileError('NoSpace', `No space left on the sandbox's disk (or a quota was reached) to save ${path}; the file was left as it was`, path);
    case EXIT.damaged: {
      const backup = stdout.split('\0').filter(Boolean).pop() ?? '';
      return new SandboxFileError(
        'NoSpace',
        `Saving ${path} in place failed and the original could not be put back: the file may be damaged. Its previous content is kept in the sandbox at ${backup || 'a backup in $TMPDIR'}`,
        path,
      );
    }
    case EXIT.modified:
      return new SandboxFileError('Modified', `${path} changed in the sandbox since it was opened here; it was left as it is`, path);
    case EXIT.truncated:
      return new SandboxFileError('Unavailable', `The connection was lost before all of ${path} arrived in the sandbox; the file was left as it was`, path);
    case EXIT.noCommand:
    case 126:
      return new SandboxFileError('Unavailable', `The container lacks a command that file access needs${detail ? `: ${detail}` : ''}`, path);
    default:
      return new SandboxFileError('Unknown', `Failed on ${path} (exit code ${code})${detail ? `: ${detail}` : ''}`, path);
  }
}

/** A non-exit outcome of an exec (lost connection, server-side failure). */
export function errorFromExecResult(result: Exclude<ExecResult, { kind: 'exited' }>, path: string, where: string): SandboxFileError {
  if (result.kind === 'lost') return new SandboxFileError('Unavailable', `Lost the connection to ${where} while working on ${path} (${result.message})`, path);
  if (/executable file not found|no such file or directory.*sh|not found in \$PATH/i.test(result.message)) {
    return new SandboxFileError('Unavailable', `${where} has no /bin/sh, which file access needs (${result.message})`, path);
  }
  return new SandboxFileError('Unavailable', `${where}: ${result.message}`, path);
}

/** An exec that could not start (pod gone, no permission, network). */
export function errorFromOpen(err: unknown, path: string): SandboxFileError {
  if (err instanceof SandboxFileError) return err;
  if (err instanceof KubeError) {
    if (err.isForbidden) return new SandboxFileError('NoPermissions', err.message, path);
    return new SandboxFileError('Unavailable', err.message, path);
  }
  return new SandboxFileError('Unavailable', err instanceof Error ? err.message : String(err), path);
}
