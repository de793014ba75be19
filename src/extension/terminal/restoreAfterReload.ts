import * as vscode from 'vscode';
import { describeError } from '../../core/k8s/errors';
import type { Disposable } from '../../core/lifecycle';
import { requireReady } from '../commands/support';
import { readSettings } from '../config';
import { openSandboxTerminal, type TerminalOpenDeps } from './openTerminal';
import type { SessionRecord } from './terminalSessions';

/**
 * After a window reload, offers (or, by setting, performs) reattaching the terminals that had
 * sessions open, once the first cluster session is ready (only its context's terminals reopen).
 */
export function restoreAfterReload(ctx: TerminalOpenDeps): Disposable {
  const records = ctx.sessions.records();
  if (!records.length) return { dispose: () => undefined };
  let done = false;
  const sub = ctx.manager.onDidOpenReady(({ session }) => {
    if (done) return;
    done = true;
    // Asynchronously: the subscription may still be being made (a session that is ready already).
    void Promise.resolve().then(() => sub.dispose());
    offer(
      ctx,
      records.filter((r) => r.context === session.context),
    ).catch((err: unknown) => ctx.log.error(`reattaching terminals: ${describeError(err)}`));
  });
  return sub;
}

async function offer(ctx: TerminalOpenDeps, mine: SessionRecord[]): Promise<void> {
  await ctx.sessions.clear(); // the reopened terminals remember themselves again
  if (!mine.length) return;
  const mode = readSettings().terminalReattachOnReload;
  if (mode === 'never') return;
  if (mode === 'ask') {
    const what = mine.length === 1 ? `A terminal on ${mine[0]!.sandbox} was` : `${mine.length} sandbox terminals were`;
    const choice = await vscode.window.showInformationMessage(
      `${what} open before the reload; the shells are still running in the sandbox.`,
      'Reattach',
      'Not Now',
    );
    if (choice !== 'Reattach') return;
  }
  const ready = requireReady(ctx);
  for (const r of mine) openSandboxTerminal(ctx, ready, r);
  ctx.log.info(`reattaching ${mine.length} terminal session(s) after the reload`);
}
