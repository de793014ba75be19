import type { Protocol } from './protocol';

/** One Kubernetes object the details panel can point at; the host decides how to open it. */
export interface ObjectRef {
  kind: 'SandboxTemplate' | 'SandboxWarmPool' | 'SandboxClaim' | 'Sandbox' | 'Pod' | 'Service' | 'PersistentVolumeClaim';
  namespace: string;
  name: string;
}

export interface LineageLink {
  ref: ObjectRef;
  /** False when the name is known (from a reference) but the object was not found. */
  exists: boolean;
  note?: string;
}

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  /** ISO time of the last transition. */
  time?: string;
  /** The condition describes an older generation of the spec than the current one. */
  stale?: boolean;
}

export interface EventView {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ISO time of the last occurrence. */
  time?: string;
  object: string;
}

export interface ActionView {
  id: DetailsAction;
  label: string;
  enabled: boolean;
  /** Why it is disabled (shown as a tooltip). */
  why?: string;
}

export type DetailsAction = 'hibernate' | 'resume' | 'terminal' | 'files' | 'logs' | 'forwardPort' | 'editYaml' | 'delete';

/** Everything the details panel shows; built by the host from live objects, rendered as-is. */
export interface DetailsSnapshot {
  context: string;
  namespace: string;
  name: string;
  /** The object is gone (deleted while the panel was open). */
  gone: boolean;
  state: string;
  stateDetail?: string;
  conditions: ConditionView[];
  lineage: { template?: LineageLink; pool?: LineageLink; claim?: LineageLink; sandbox: LineageLink; pod?: LineageLink; service?: LineageLink; pvcs: LineageLink[] };
  launch: { type?: 'warm' | 'cold'; timeToReadyMs?: number; measuredFrom?: string };
  isolation: { runtimeClassName?: string; runtime: string; isolated: boolean; warning?: string };
  placement: { node?: string; podIPs: string[]; hostIP?: string; podPhase?: string; restarts?: number };
  lifecycle: { shutdownTime?: string; shutdownPolicy?: string; claimShutdownTime?: string; claimShutdownPolicy?: string; createdAt?: string };
  events: EventView[];
  /** Why events could not be read (e.g. no permission), shown instead of the list. */
  eventsError?: string;
  actions: ActionView[];
}

export interface DetailsProtocol extends Protocol {
  commands: {
    ready: null;
    action: { action: DetailsAction };
    open: { ref: ObjectRef };
  };
  requests: Record<string, never>;
  notifications: {
    snapshot: DetailsSnapshot;
    /** A failed action, shown in the panel (the host also logs it). */
    error: { message: string };
  };
}
