import type { Protocol } from './protocol';

/** One sample of the pool's size, taken whenever the watch delivers a change. */
export interface PoolSample {
  /** Epoch milliseconds. */
  t: number;
  ready: number;
  desired: number;
}

export interface ClaimLatencyView {
  claim: string;
  sandbox?: string | undefined;
  launch?: 'warm' | 'cold' | undefined;
  /** Claim creation → Ready, in milliseconds; undefined while not Ready yet. */
  timeToReadyMs?: number;
  /** How the time was measured: the controller's annotation, the Ready condition, or this watch. */
  source?: 'annotation' | 'condition' | 'watch';
  createdAt?: string | undefined;
  status: string;
}

export interface PoolSnapshot {
  context: string;
  namespace: string;
  name: string;
  gone: boolean;
  ready: number;
  desired: number;
  current: number;
  template?: { name: string; exists: boolean; runtime: string; runtimeClassName?: string | undefined; isolated: boolean } | undefined;
  updateStrategy?: string | undefined;
  history: PoolSample[];
  /** Since when samples are collected (the panel opened); older history is not known. */
  collectingSince: number;
  claims: ClaimLatencyView[];
  members: { name: string; state: string }[];
}

export interface PoolProtocol extends Protocol {
  commands: {
    ready: null;
    openSandbox: { name: string };
    openClaim: { name: string };
  };
  requests: {
    scale: { params: { replicas: number }; result: { desired: number } };
  };
  notifications: {
    snapshot: PoolSnapshot;
  };
}
