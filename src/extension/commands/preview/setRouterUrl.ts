import * as vscode from 'vscode';
import type { BoundSandbox } from '../../../core/boundSandbox';
import { validateRouterUrl } from '../../../core/preview/router';
import { readSettings, setRouterUrl } from '../../config';
import type { ForwardManager } from '../../forwards/forwardManager';
import { openPreview } from '../../preview/openPreview';
import type { RouterTokens } from '../../preview/routerTokens';
import { CommandContext, register, requireReady } from '../support';

type PickTarget = (arg: unknown, title: string) => Promise<BoundSandbox | undefined>;

/** Open Preview… (router path-routing URL, else the exec relay) and the router URL setting. */
export function registerPreviewCommands(ctx: CommandContext, forwards: ForwardManager, tokens: RouterTokens, pickTarget: PickTarget): vscode.Disposable[] {
  return [
    register(ctx, 'agentSandbox.openPreview', async (arg, port) => {
      const t = await pickTarget(arg, 'Preview a port of which sandbox?');
      if (t) await openPreview(ctx, forwards, tokens, t, typeof port === 'number' ? port : undefined);
    }),
    register(ctx, 'agentSandbox.setRouterUrl', async () => {
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
      await setRouterUrl(context, value.trim() || undefined);
      if (!value.trim()) await tokens.forget(context);
      void vscode.window.showInformationMessage(
        value.trim() ? `Router URL of "${context}" set to ${value.trim()}.` : `Router URL of "${context}" removed; previews use the exec relay.`,
      );
    }),
  ];
}
