import type { CommandId } from '../shared/commandIds';
import { type CommandContext, runReported, type SandboxRef, UserError } from './commands/support';
import type { FilesFeature } from './files/actions';
import { openInWorkspace } from './files/openInWorkspace';
import type { ForwardManager } from './forwards/forwardManager';
import { forwardPort } from './forwards/forwardPort';
import { deleteObjects } from './lifecycle/deleteObjects';
import { suspendSandboxes } from './lifecycle/suspendSandboxes';
import { panelTarget, type SandboxActions, type SandboxAt } from './panels/panelSupport';
import { openPreview } from './preview/openPreview';
import type { RouterTokens } from './preview/routerTokens';
import { openTerminals } from './terminal/openTerminal';

/**
 * The sandbox actions our own features run in each other (a details panel's buttons, Resume on a
 * refused file): the commands' own code, called directly, reported like the command it mirrors.
 */
export function sandboxActions(ctx: CommandContext, files: FilesFeature, forwards: ForwardManager, tokens: RouterTokens): SandboxActions {
  const report = (label: CommandId, work: () => Promise<unknown>): Promise<void> => runReported(ctx, label, work).then(() => undefined);
  /** Only the active context is acted on: a same-named sandbox of another cluster is never touched. */
  const active = (s: SandboxAt): SandboxRef => {
    const context = ctx.manager.session?.context;
    if (s.context !== context) throw new UserError(`${s.name} is in context "${s.context}"; switch to it first.`);
    return { namespace: s.namespace, name: s.name };
  };
  return {
    hibernate: (s) => report('agentSandbox.hibernate', () => suspendSandboxes(ctx, true, [active(s)])),
    resume: (s) => report('agentSandbox.resume', () => suspendSandboxes(ctx, false, [active(s)])),
    openTerminal: (s) => report('agentSandbox.openTerminal', () => openTerminals(ctx, [active(s)])),
    openInWorkspace: (s) => report('agentSandbox.files.openInWorkspace', () => openInWorkspace(ctx, files, active(s))),
    forwardPort: (s, port) =>
      report('agentSandbox.forwardPort', () => forwardPort(ctx, forwards, panelTarget(ctx.manager, s.context, s.namespace, s.name), port)),
    openPreview: (s, port) =>
      report('agentSandbox.openPreview', () => openPreview(ctx, forwards, tokens, panelTarget(ctx.manager, s.context, s.namespace, s.name), port)),
    delete: (kind, s, object) =>
      report('agentSandbox.delete', async () => {
        const { namespace, name } = active(s);
        await deleteObjects(ctx, [{ kind, namespace, name, object: object ?? { metadata: { name, namespace } } }]);
      }),
  };
}
