import * as vscode from 'vscode';
import type { KubeObject } from '../../../core/model/objects';
import { poolTemplateName } from '../../../core/model/pool';
import { ClaimForm, claimFormOptions, describeClaimForm, templateAllowsEnv } from '../../../core/model/claimBody';
import { CommandContext, requireReady } from '../support';

const FORM_KEY = 'agentSandbox.newClaim.options';

function formKey(ctx: CommandContext, pool: KubeObject): string {
  return `${FORM_KEY}/${ctx.manager.session?.context ?? ''}/${pool.metadata.namespace ?? ''}/${pool.metadata.name}`;
}

/**
 * "Create" or "More options…" (TTL, environment, labels, pod metadata). What was used last for this
 * pool is offered again first; environment values are not remembered (they may hold secrets).
 */
export async function claimOptionsSteps(ctx: CommandContext, pool: KubeObject): Promise<ClaimForm | undefined> {
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
