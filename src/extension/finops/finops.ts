import type * as vscode from 'vscode';
import type { ActivityTracker } from '../../core/finops/activity';
import type { CommandContext } from '../commands/support';
import { AutoHibernateRunner } from './autoHibernateRunner';
import { CostStatusBar } from './costStatusBar';
import { UsageRows } from './usageRows';

/** Idle time and cost on the tree and the status bar, and opt-in auto-hibernate; everything finops but the command. */
export function startFinops(ctx: CommandContext, activity: ActivityTracker): vscode.Disposable[] {
  const runner = new AutoHibernateRunner(ctx.manager, activity, ctx.log);
  return [runner, new UsageRows(ctx.manager, ctx.tree, ctx.treeView, activity, runner), new CostStatusBar(ctx.manager)];
}
