import type { DirEntry } from './listing';
import type { FileTarget } from './uri';
import { joinPath } from './uri';

/**
 * Files in a folder that VS Code applies as configuration once the folder is a workspace folder
 * (and the window is trusted): tasks and launch configs run programs on this machine, settings
 * change what other extensions execute. The sandbox wrote them, so they are untrusted.
 */
const VSCODE_FILES: ReadonlySet<string> = new Set(['settings.json', 'tasks.json', 'launch.json', 'extensions.json', 'mcp.json']);

/** A folder's workspace-configuration entries, as paths relative to it (".vscode/tasks.json", "x.code-workspace"). */
export function workspaceConfigEntries(root: readonly DirEntry[], vscodeDir: readonly DirEntry[] | undefined): string[] {
  const found: string[] = [];
  const dotVscode = root.find((e) => e.name === '.vscode');
  if (dotVscode) {
    const inside = (vscodeDir ?? []).filter((e) => VSCODE_FILES.has(e.name)).map((e) => `.vscode/${e.name}`);
    // The folder itself counts even when empty or unreadable: the agent can fill it after it is opened.
    found.push(...(inside.length ? inside.sort() : ['.vscode/']));
  }
  // VS Code offers to open a workspace file found in a folder; its settings and tasks then apply.
  found.push(
    ...root
      .filter((e) => e.name.endsWith('.code-workspace') && e.kind !== 'directory')
      .map((e) => e.name)
      .sort(),
  );
  return found;
}

/** An untrusted name for a message: as is, or quoted when it holds control or bidi characters or is long. */
export function displayConfigName(name: string): string {
  const plain = !/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(name) && name.length <= 120;
  return plain ? name : JSON.stringify(name.slice(0, 120));
}

interface Lister {
  list(t: FileTarget, dir: string): Promise<DirEntry[]>;
}

/** Lists `folder` (and its `.vscode/`) in the sandbox and returns its workspace-configuration entries. */
export async function findWorkspaceConfig(fs: Lister, t: FileTarget, folder: string): Promise<string[]> {
  const root = await fs.list(t, folder);
  const dotVscode = root.find((e) => e.name === '.vscode');
  let inside: DirEntry[] | undefined;
  if (dotVscode?.kind === 'directory') inside = await fs.list(t, joinPath(folder, '.vscode')).catch(() => undefined);
  return workspaceConfigEntries(root, inside);
}
