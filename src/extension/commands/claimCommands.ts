import * as vscode from 'vscode';
import type { KindName } from '../../core/k8s/resources';
import type { KubeObject } from '../../core/model/objects';
import { poolReplicas, poolTemplateName } from '../../core/model/pool';
import { launchType } from '../../core/model/sandbox';
import { claimSandboxName } from '../../core/model/claim';
import { ClaimForm, claimFormOptions, describeClaimForm, templateAllowsEnv } from '../../core/model/claimBody';
import { generateClaimName, validateName } from '../../core/model/validation';
import { readSettings } from '../config';
import { DeleteTarget, deleteObjects } from '../lifecycle/deleteObjects';
import { CommandContext, isResourceNode, pickObject, register, requireReady, seconds, selectedNodes, UserError } from './support';

/** New Claim from a warm pool, and Delete for claims and sandboxes. */
export function registerClaimCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    register(ctx, 'agentSandbox.newClaim', (arg) => newClaim(ctx, arg)),
    register(ctx, 'agentSandbox.delete', (arg, selection) => deleteSelected(ctx, arg, selection)),
  ];
}

async function newClaim(ctx: CommandContext, arg: unknown): Promise<void> {
  const { model, ops } = requireReady(ctx);
  const pool: KubeObject | undefined =
    isResourceNode(arg) && arg.kind === 'SandboxWarmPool'
      ? (model.get('SandboxWarmPool', arg.namespace, arg.name) ?? arg.object)
      : await pickObject(model, 'SandboxWarmPool', 'New claim from which warm pool?', (p) => {
          const r = poolReplicas(p);
          return `${r.ready}/${r.desired} ready`;
        });
  if (!pool) return;
  const namespace = pool.metadata.namespace ?? '';
  const name = await vscode.window.showInputBox({
    title: `New claim from ${pool.metadata.name}`,
    prompt: 'Claim name (lowercase letters, digits and "-")',
    value: generateClaimName(pool.metadata.name),
    validateInput: (v) =>
      validateName(v.trim()) ?? (model.get('SandboxClaim', namespace, v.trim()) ? `A claim named ${v.trim()} already exists in ${namespace}.` : undefined),
  });
  if (name === undefined) return;
  const claimName = name.trim();
  const form = await claimOptionsSteps(ctx, pool);
  if (!form) return;
  const parsed = claimFormOptions(form);
  if ('problem' in parsed) throw new UserError(parsed.problem);
  const timeoutMs = readSettings().readyTimeoutSeconds * 1000;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Claiming a sandbox from ${pool.metadata.name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const start = Date.now();
      await ops.createClaim(namespace, claimName, pool, parsed.options);
      progress.report({ message: 'waiting for the sandbox to be Ready…' });
      let sandbox: KubeObject;
      try {
        sandbox = await ops.waitClaimReady(namespace, claimName, { timeoutMs, signal: abort.signal });
      } catch (err) {
        if (abort.signal.aborted) {
          void vscode.window.showInformationMessage(`Claim ${claimName} was created; stopped waiting for its sandbox.`);
          return;
        }
        throw err;
      }
      const ms = Date.now() - start;
      const launch = launchType(sandbox);
      const how = launch === 'warm' ? 'warm from the pool' : launch === 'cold' ? 'cold (the pool had no ready sandbox)' : 'ready';
      ctx.log.info(`claim ${namespace}/${claimName} → sandbox ${sandbox.metadata.name}: ${how} in ${ms} ms`);
      await revealSoon(ctx, 'Sandbox', namespace, sandbox.metadata.name);
      void vscode.window.showInformationMessage(`Sandbox ${sandbox.metadata.name} is ready: ${how}, in ${ms} ms (${seconds(ms)}).`);
    },
  );
}

const FORM_KEY = 'agentSandbox.newClaim.options';

function formKey(ctx: CommandContext, pool: KubeObject): string {
  return `${FORM_KEY}/${ctx.manager.session?.context ?? ''}/${pool.metadata.namespace ?? ''}/${pool.metadata.name}`;
}

/**
 * "Create" or "More options…" (TTL, environment, labels, pod metadata). What was used last for this
 * pool is offered again first; environment values are not remembered (they may hold secrets).
 */
async function claimOptionsSteps(ctx: CommandContext, pool: KubeObject): Promise<ClaimForm | undefined> {
  const remembered = ctx.state.get<ClaimForm & { more?: boolean }>(formKey(ctx, pool));
  const create = { label: '$(check) Create', description: remembered?.more ? 'with no options' : '', more: false };
  const more = {
    label: '$(settings-gear) More options…',
    description: remembered?.more
      ? `last time: ${describeClaimForm(remembered) || 'no options'}`
      : 'TTL, environment variables, labels, pod labels and annotations',
    more: true,
  };
  const pick = await vscode.window.showQuickPick(remembered?.more ? [more, create] : [create, more], {
    title: `New claim from ${pool.metadata.name}`,
    placeHolder: 'Create the claim, or set more options first',
  });
  if (!pick) return undefined;
  if (!pick.more) {
    await ctx.state.update(formKey(ctx, pool), { ...remembered, more: false });
    return {};
  }
  const form: ClaimForm = {};
  const step = async (
    title: string,
    prompt: string,
    value: string | undefined,
    check: (v: string) => string | undefined,
    placeHolder?: string,
  ): Promise<string | undefined> =>
    vscode.window.showInputBox({
      title: `New claim from ${pool.metadata.name}: ${title}`,
      prompt,
      value: value ?? '',
      ...(placeHolder === undefined ? {} : { placeHolder }),
      validateInput: (v) => check(v),
    });
  const firstProblem = (f: ClaimForm) => {
    const r = claimFormOptions(f);
    return 'problem' in r ? r.problem : undefined;
  };
  const ttl = await step('TTL', 'Shut the claim down after (e.g. 30m, 2h, 1h30m); empty: no TTL', remembered?.ttl, (v) => firstProblem({ ttl: v }), '30m');
  if (ttl === undefined) return undefined;
  form.ttl = ttl.trim() || undefined;
  if (form.ttl) {
    const policy = await vscode.window.showQuickPick(
      [
        { label: 'Delete', description: 'delete the claim and its sandbox when the TTL ends', value: 'Delete' as const },
        { label: 'Retain', description: 'keep the claim (Expired), stop its sandbox', value: 'Retain' as const },
      ].sort((a) => (a.value === remembered?.shutdownPolicy ? -1 : 0)),
      { title: `New claim from ${pool.metadata.name}: at the end of the TTL`, placeHolder: 'What happens when the TTL ends' },
    );
    if (!policy) return undefined;
    form.shutdownPolicy = policy.value;
  }
  const templateName = poolTemplateName(pool);
  const template = templateName ? requireReady(ctx).model.get('SandboxTemplate', pool.metadata.namespace ?? '', templateName) : undefined;
  const envAllowed = templateAllowsEnv(template);
  const env = envAllowed
    ? await step(
        'environment',
        '⚠ Environment variables force a COLD start (a warm pool sandbox cannot take them). KEY=value, comma-separated; empty: none. Not remembered.',
        undefined,
        (v) => firstProblem({ env: v }),
        'API_URL=https://example.com, DEBUG=1',
      )
    : await step(
        'environment',
        `Template ${templateName} does not allow environment variables (envVarsInjectionPolicy: ${String((template?.spec?.['envVarsInjectionPolicy'] as string | undefined) ?? 'Disallowed')}); the controller would reject the claim. Leave this empty.`,
        undefined,
        (v) => (v.trim() ? 'This template does not allow environment variables.' : undefined),
      );
  if (env === undefined) return undefined;
  form.env = env.trim() || undefined;
  const labels = await step(
    'claim labels',
    'Labels on the claim: key=value, comma-separated; empty: none',
    remembered?.labels,
    (v) => firstProblem({ labels: v }),
    'team=ml',
  );
  if (labels === undefined) return undefined;
  form.labels = labels.trim() || undefined;
  const podLabels = await step(
    'pod labels',
    'Labels added to the sandbox pod (spec.additionalPodMetadata): key=value, comma-separated',
    remembered?.podLabels,
    (v) => firstProblem({ podLabels: v }),
  );
  if (podLabels === undefined) return undefined;
  form.podLabels = podLabels.trim() || undefined;
  const podAnnotations = await step('pod annotations', 'Annotations added to the sandbox pod: key=value, comma-separated', remembered?.podAnnotations, (v) =>
    firstProblem({ podAnnotations: v }),
  );
  if (podAnnotations === undefined) return undefined;
  form.podAnnotations = podAnnotations.trim() || undefined;
  const { env: _secret, ...keep } = form;
  await ctx.state.update(formKey(ctx, pool), { ...keep, more: true });
  return form;
}

/** Reveals a node once the tree has it (the watch may deliver it a moment after the API answered). */
async function revealSoon(ctx: CommandContext, kind: KindName, namespace: string, name: string): Promise<void> {
  if (!ctx.treeView.visible) return;
  const group = ctx.tree.groupNode(namespace, kind);
  if (group) await Promise.resolve(ctx.tree.getChildren(group));
  const node = ctx.tree.findResource(kind, namespace, name);
  if (node) {
    try {
      await ctx.treeView.reveal(node, { select: true, focus: false, expand: true });
    } catch (err) {
      ctx.log.debug(`reveal ${name}: ${(err as Error).message}`);
    }
  }
}

async function deleteSelected(ctx: CommandContext, arg: unknown, selection: unknown): Promise<void> {
  const { model } = requireReady(ctx);
  const targets: DeleteTarget[] = selectedNodes(arg, selection).flatMap((n) =>
    n.kind === 'SandboxClaim' || n.kind === 'Sandbox' ? [{ kind: n.kind, namespace: n.namespace, name: n.name, object: n.object }] : [],
  );
  if (targets.length === 0) {
    const claim = await pickObject(model, 'SandboxClaim', 'Delete which claim?', (c) => claimSandboxName(c) ?? 'not bound');
    if (!claim) return;
    targets.push({ kind: 'SandboxClaim', namespace: claim.metadata.namespace ?? '', name: claim.metadata.name, object: claim });
  }
  await deleteObjects(ctx, targets);
}
