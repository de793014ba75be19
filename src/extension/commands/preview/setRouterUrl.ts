import * as vscode from 'vscode';
import { validateRouterUrl } from '../../../core/preview/router';
import { readSettings, setRouterUrl as writeRouterUrl } from '../../config';
import type { RouterTokens } from '../../preview/routerTokens';
import { CommandContext, requireReady } from '../support';

/** Set Sandbox Router URL…: per context; empty removes it (and its token), and previews use the exec relay. */
export async function setRouterUrl(ctx: CommandContext, tokens: RouterTokens): Promise<void> {
  const context = requireReady(ctx).session.context;
  const current = readSettings().routerUrls[context];
  const value = await vscode.window.showInputBox({
    title: `Sandbox Router URL for context "${context}"`,
    prompt:
      'The router as reachable from here, with its path-routing prefix (for example https://sandboxes.example.com/router). Empty: no router (previews use the exec relay).',
    value: current ?? '',
    validateInput: (v) => (v.trim() ? validateRouterUrl(v) : undefined),
  });
  if (value === undefined) return;
  await writeRouterUrl(context, value.trim() || undefined);
  if (!value.trim()) await tokens.forget(context);
  void vscode.window.showInformationMessage(
    value.trim() ? `Router URL of "${context}" set to ${value.trim()}.` : `Router URL of "${context}" removed; previews use the exec relay.`,
  );
}
