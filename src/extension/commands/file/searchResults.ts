import * as vscode from 'vscode';
import { SearchHit, searchInPod, SearchQuery } from '../../../core/files/search';
import { baseName } from '../../../core/files/uri';
import type { SandboxFiles } from '../../files/sandboxFiles';
import { fileUri } from '../../files/uris';
import type { CommandContext } from '../support';

/** Results beyond this are not collected: the title says so and asks for a narrower search. */
const MAX_HITS = 2000;

type HitItem = vscode.QuickPickItem & { hit?: SearchHit };

/** Streams grep's hits into a quick pick grouped by file; picking one opens it at its line. */
export async function showResults(ctx: CommandContext, files: SandboxFiles, target: Parameters<typeof fileUri>[0], dir: string, q: SearchQuery): Promise<void> {
  const pick = vscode.window.createQuickPick<HitItem>();
  const abort = new AbortController();
  const byFile = new Map<string, SearchHit[]>();
  let count = 0;
  pick.title = `Searching ${target.sandbox}:${dir} for “${q.text}”…`;
  pick.placeholder = 'Results appear as they are found; type to filter, Enter opens';
  pick.matchOnDescription = true;
  pick.busy = true;
  const render = () => {
    const items: HitItem[] = [];
    for (const [path, hits] of byFile) {
      items.push({ label: path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path, kind: vscode.QuickPickItemKind.Separator });
      for (const h of hits) items.push({ label: h.text.trim() || ' ', description: `${baseName(path)}:${h.line}`, hit: h });
    }
    pick.items = items;
  };
  let timer: NodeJS.Timeout | undefined;
  pick.onDidHide(() => (abort.abort(), pick.dispose()));
  pick.onDidAccept(() => {
    const hit = pick.selectedItems[0]?.hit;
    if (!hit) return;
    const pos = new vscode.Position(Math.max(0, hit.line - 1), 0);
    void vscode.window.showTextDocument(fileUri(target, hit.path), { selection: new vscode.Range(pos, pos), preview: true });
  });
  pick.show();
  try {
    const pod = await files.fs.locator.locate(target);
    const outcome = await searchInPod(
      pod,
      dir,
      q,
      (hits) => {
        for (const h of hits) byFile.set(h.path, [...(byFile.get(h.path) ?? []), h]);
        count += hits.length;
        timer ??= setTimeout(() => ((timer = undefined), render()), 100);
      },
      { maxHits: MAX_HITS, signal: abort.signal },
    );
    clearTimeout(timer);
    render();
    if (outcome.cancelled) return;
    pick.busy = false;
    if (outcome.error) pick.title = `Search failed in ${target.sandbox}: ${outcome.error}`;
    else if (outcome.capped) pick.title = `First ${MAX_HITS} results for “${q.text}” in ${byFile.size} files — the rest were not collected; narrow the search`;
    else
      pick.title = count
        ? `${count} result${count === 1 ? '' : 's'} for “${q.text}” in ${byFile.size} file${byFile.size === 1 ? '' : 's'} (${target.sandbox}:${dir})`
        : `No results for “${q.text}” in ${target.sandbox}:${dir}`;
    ctx.log.info(`search in ${target.namespace}/${target.sandbox}:${dir}: ${count} hits${outcome.capped ? ' (capped)' : ''}`);
  } catch (err) {
    pick.busy = false;
    pick.title = `Search failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}
