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
  note?: string | undefined;
}

export interface ConditionView {
  type: string;
  status: string;
  reason?: string | undefined;
  message?: string | undefined;
  /** ISO time of the last transition. */
  time?: string | undefined;
  /** The condition describes an older generation of the spec than the current one. */
  stale?: boolean;
}

export interface EventView {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ISO time of the last occurrence. */
  time?: string | undefined;
  object: string;
}

export interface ActionView {
  id: DetailsAction;
  label: string;
  enabled: boolean;
  /** Why it is disabled (shown as a tooltip). */
  why?: string;
}

export type DetailsAction = 'hibernate' | 'resume' | 'terminal' | 'files' | 'logs' | 'forwardPort' | 'preview' | 'editYaml' | 'delete';

/** A port the sandbox listens on (read while the panel is open), with Preview and Forward. */
export interface PortView {
  port: number;
  /** "python3 · 127.245.0.2" */
  label: string;
  /** Bound to loopback only: the router cannot reach it (the relay can). */
  podLocal: boolean;
}

/** How the sandbox's web apps are reached: the router's state and the listening ports. */
export interface ReachView {
  /** "reachable at …", "not configured (…)", "unreachable at … (why)". */
  router: string;
  routerTone: 'ok' | 'warn' | 'muted';
  ports: PortView[];
  /** Why no ports are shown (not running, unreadable, not read yet). */
  portsNote?: string | undefined;
}

/** Everything the details panel shows; built by the host from live objects, rendered as-is. */
export interface DetailsSnapshot {
  context: string;
  namespace: string;
  name: string;
  /** The object is gone (deleted while the panel was open). */
  gone: boolean;
  state: string;
  stateDetail?: string | undefined;
  conditions: ConditionView[];
  lineage: {
    template?: LineageLink | undefined;
    pool?: LineageLink | undefined;
    claim?: LineageLink | undefined;
    sandbox: LineageLink;
    pod?: LineageLink | undefined;
    service?: LineageLink | undefined;
    pvcs: LineageLink[];
  };
  launch: { type?: 'warm' | 'cold' | undefined; timeToReadyMs?: number | undefined; measuredFrom?: string | undefined };
  isolation: { runtimeClassName?: string | undefined; runtime: string; isolated: boolean; warning?: string | undefined };
  placement: { node?: string | undefined; podIPs: string[]; hostIP?: string | undefined; podPhase?: string | undefined; restarts?: number | undefined };
  lifecycle: {
    shutdownTime?: string | undefined;
    shutdownPolicy?: string | undefined;
    claimShutdownTime?: string | undefined;
    claimShutdownPolicy?: string | undefined;
    createdAt?: string | undefined;
  };
  /** The claim as SDK clients see it: who made it, its service DNS name, the latency the controller recorded. */
  claim?:
    { name: string; createdBy?: string | undefined; serviceFQDN?: string | undefined; latency?: string | undefined; waiting?: string | undefined } | undefined;
  events: EventView[];
  /** Why events could not be read (e.g. no permission), shown instead of the list. */
  eventsError?: string | undefined;
  actions: ActionView[];
  reach?: ReachView;
}

export interface DetailsProtocol extends Protocol {
  commands: {
    ready: null;
    action: { action: DetailsAction; port?: number };
    refreshPorts: null;
    open: { ref: ObjectRef };
  };
  requests: Record<string, never>;
  notifications: {
    snapshot: DetailsSnapshot;
    /** A failed action, shown in the panel (the host also logs it). */
    error: { message: string };
  };
}
