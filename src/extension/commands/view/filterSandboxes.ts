import * as vscode from 'vscode';
import { formatFilterQuery, isEmptyFilter, parseFilterQuery, SandboxFilter } from '../../../core/tree/sandboxFilter';
import { CommandContext, requireReady } from '../support';

/** Filter Sandboxes…: one box:  a name part and state:, label:, by: terms, checked as typed with the number that match. */
export async function filterSandboxes(ctx: CommandContext): Promise<void> {
  const { model } = requireReady(ctx);
  const all = model.all('Sandbox');
  const count = (f: SandboxFilter): number => all.filter((sb) => ctx.tree.passes(sb, f)).length;
  const value = await vscode.window.showInputBox({
    title: 'Filter sandboxes',
    prompt: 'Name part, then any of state:running,hibernated · label:app=web,!spot · by:me or by:agent (empty: show all)',
    placeHolder: 'web state:running label:app=web by:agent',
    value: formatFilterQuery(ctx.tree.sandboxFilter),
    validateInput: (text) => {
      try {
        const f = parseFilterQuery(text);
        if (isEmptyFilter(f)) return undefined;
        return { message: `${count(f)} of ${all.length} sandboxes match`, severity: vscode.InputBoxValidationSeverity.Info };
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (value === undefined) return;
  ctx.tree.setFilter(parseFilterQuery(value));
}
