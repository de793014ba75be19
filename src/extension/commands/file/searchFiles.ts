import * as vscode from 'vscode';
import type { SearchQuery } from '../../../core/files/search';
import type { ResourceNode } from '../../../core/tree/nodes';
import { rootNodeFor } from '../../files/filesRoot';
import { FileNode, isFileNode, isFolderNode } from '../../files/fileTree';
import { sandboxArg } from '../support';
import type { WithFiles } from './fileNodes';
import { showResults } from './searchResults';

/**
 * Search in Sandbox…: in the clicked folder (a file: its folder), else the Files root of the clicked
 * or picked sandbox. VS Code's text search does not reach virtual folders (TextSearchProvider is
 * a proposed API, closed to published extensions), so this runs grep in the sandbox (argv only)
 * and streams the hits into a quick pick grouped by file; picking one opens it at its line. The
 * handler remembers the last query for this window.
 */
export function searchFiles(ctx: WithFiles): (node?: FileNode | ResourceNode) => Promise<void> {
  const { files } = ctx;
  let last: SearchQuery = { text: '', regex: false, caseSensitive: false, include: [], exclude: [] };
  let lastGlobs = '';
  return async (node) => {
    const at = isFileNode(node) ? node : await rootNodeFor(ctx, files, sandboxArg(ctx, node));
    const target = at.target;
    const p = await files.tree.folderPath(at);
    const dir = isFileNode(node) && !isFolderNode(node) ? p.slice(0, p.lastIndexOf('/')) || '/' : p;
    const text = await vscode.window.showInputBox({
      title: `Search in ${target.sandbox}:${dir}`,
      prompt: 'Text to find',
      value: last.text,
      validateInput: (v) => (v ? undefined : 'Enter text to find'),
    });
    if (!text) return;
    const globs = await vscode.window.showInputBox({
      title: `Search in ${target.sandbox}:${dir}`,
      prompt: 'Files to include, comma-separated; prefix ! to exclude (e.g. *.py, !*.min.js). Empty: all files.',
      value: lastGlobs,
    });
    if (globs === undefined) return;
    const flags = await vscode.window.showQuickPick(
      [
        { label: 'Match Case', picked: last.caseSensitive, id: 'case' },
        { label: 'Use Regular Expression', picked: last.regex, id: 'regex', description: 'extended (grep -E)' },
      ],
      { title: 'Search options', canPickMany: true, placeHolder: 'Enter to search' },
    );
    if (!flags) return;
    const parts = globs
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    last = {
      text,
      caseSensitive: flags.some((f) => f.id === 'case'),
      regex: flags.some((f) => f.id === 'regex'),
      include: parts.filter((g) => !g.startsWith('!')),
      exclude: parts.filter((g) => g.startsWith('!')).map((g) => g.slice(1)),
    };
    lastGlobs = globs;
    await showResults(ctx, files, target, dir, last);
  };
}
