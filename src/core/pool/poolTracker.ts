import type { ClaimLatencyView, PoolSample, PoolSnapshot } from '../../shared/poolProtocol';
import { claimSandboxName, claimSource, claimStatus } from '../model/claim';
import { condition, KubeObject, rec, str } from '../model/objects';
import { isPoolMember, nameHash, poolReplicas } from '../model/pool';
import { isIsolated, launchType, runtimeClassOf, runtimeName, sandboxState } from '../model/sandbox';
import { ANNOTATION_CLAIM_FIRST_READY } from '../details/sandboxDetails';

const MAX_SAMPLES = 720;
const MAX_CLAIMS = 25;
/** A claim first seen this soon after its creation was seen being created: the watch timed it. */
const SEEN_CREATED_WITHIN_MS = 3000;

export interface PoolInputs {
  context: string;
  namespace: string;
  name: string;
  pool: KubeObject | undefined;
  template: KubeObject | undefined;
  claims: KubeObject[];
  sandboxes: KubeObject[];
}

/**
 * Collects a warm pool's history while its panel is open: ready vs desired at every change, and
 * each claim's time to Ready. Times come from the controller's own annotation when present, from
 * this watch when it saw the claim created and turn Ready, else from the Ready condition.
 */
export class PoolTracker {
  private readonly samples: PoolSample[] = [];
  private readonly firstSeen = new Map<string, number>();
  private readonly readySeen = new Map<string, number>();
  readonly since: number;

  constructor(private readonly now: () => number = Date.now) {
    this.since = now();
  }

  observe(input: PoolInputs): PoolSnapshot {
    const t = this.now();
    const { pool } = input;
    if (pool) {
      const { ready, desired } = poolReplicas(pool);
      const last = this.samples[this.samples.length - 1];
      if (!last || last.ready !== ready || last.desired !== desired) this.samples.push({ t, ready, desired });
      if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
    }
    const mine = input.claims.filter((c) => claimSource(c)?.kind === 'pool' && claimSource(c)?.name === input.name);
    for (const c of mine) {
      const uid = c.metadata.uid ?? c.metadata.name;
      if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, t);
      if (!this.readySeen.has(uid) && condition(c, 'Ready')?.status === 'True') this.readySeen.set(uid, t);
    }
    return this.snapshot(input, mine);
  }

  private latency(c: KubeObject, sandboxes: Map<string, KubeObject>): ClaimLatencyView {
    const uid = c.metadata.uid ?? c.metadata.name;
    const created = Date.parse(c.metadata.creationTimestamp ?? '');
    const sbName = claimSandboxName(c);
    const sb = sbName ? sandboxes.get(sbName) : undefined;
    const view: ClaimLatencyView = {
      claim: c.metadata.name,
      sandbox: sbName,
      launch: sb ? launchType(sb) : undefined,
      createdAt: c.metadata.creationTimestamp,
      status: claimStatus(c).status,
    };
    const annotated = Date.parse(c.metadata.annotations?.[ANNOTATION_CLAIM_FIRST_READY] ?? '');
    const seen = this.firstSeen.get(uid);
    const readyAt = this.readySeen.get(uid);
    if (!Number.isNaN(annotated) && !Number.isNaN(created)) return { ...view, timeToReadyMs: annotated - created, source: 'annotation' };
    if (seen !== undefined && readyAt !== undefined && !Number.isNaN(created) && seen - created < SEEN_CREATED_WITHIN_MS && readyAt > seen) {
      return { ...view, timeToReadyMs: readyAt - seen, source: 'watch' };
    }
    const ready = condition(c, 'Ready');
    const transition = Date.parse(ready?.lastTransitionTime ?? '');
    // An adopted pool sandbox's Ready condition (copied into the claim) predates the claim: Ready at once.
    if (ready?.status === 'True' && !Number.isNaN(transition) && !Number.isNaN(created))
      return { ...view, timeToReadyMs: Math.max(0, transition - created), source: 'condition' };
    return view;
  }

  private snapshot(input: PoolInputs, claims: KubeObject[]): PoolSnapshot {
    const { pool, template } = input;
    const r = pool ? poolReplicas(pool) : { ready: 0, desired: 0, current: 0 };
    const byName = new Map(input.sandboxes.map((s) => [s.metadata.name, s]));
    const templateName = str(rec(pool?.spec?.['sandboxTemplateRef'])?.['name']);
    const rc = template ? runtimeClassOf(template) : undefined;
    // Hashed once here, not once per sandbox by isPoolMember's default.
    const hash = pool ? nameHash(pool.metadata.name) : '';
    const recent = [...claims]
      .sort((a, b) => (Date.parse(b.metadata.creationTimestamp ?? '') || 0) - (Date.parse(a.metadata.creationTimestamp ?? '') || 0))
      .slice(0, MAX_CLAIMS);
    return {
      context: input.context,
      namespace: input.namespace,
      name: input.name,
      gone: !pool,
      ready: r.ready,
      desired: r.desired,
      current: r.current,
      template: templateName ? { name: templateName, exists: !!template, runtime: runtimeName(rc), runtimeClassName: rc, isolated: isIsolated(rc) } : undefined,
      updateStrategy: str(rec(pool?.spec?.['updateStrategy'])?.['type']),
      history: [...this.samples],
      collectingSince: this.since,
      claims: recent.map((c) => this.latency(c, byName)),
      members: pool ? input.sandboxes.filter((s) => isPoolMember(pool, s, hash)).map((s) => ({ name: s.metadata.name, state: sandboxState(s) })) : [],
    };
  }
}
