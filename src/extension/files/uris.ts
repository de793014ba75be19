import * as vscode from 'vscode';
import { decodeAuthority, encodeAuthority, FILES_SCHEME, FileTarget, normalizePath } from '../../core/files/uri';

/** The VS Code URI of a path in a sandbox container (built from parts, so no path is ever parsed). */
export function fileUri(t: FileTarget, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: FILES_SCHEME, authority: encodeAuthority(t), path: normalizePath(path) });
}

export function isSandboxUri(x: unknown): x is vscode.Uri {
  return x instanceof vscode.Uri && x.scheme === FILES_SCHEME;
}

/** Reads target and path back; a malformed authority is reported as FileNotFound. */
export function fromUri(uri: vscode.Uri): { target: FileTarget; path: string } {
  try {
    return { target: decodeAuthority(uri.authority), path: normalizePath(uri.path) };
  } catch (err) {
    throw vscode.FileSystemError.FileNotFound(`${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function parentUri(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}
