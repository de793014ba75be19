// Synthetic objects shaped as a real fleet's are served: a Sandbox as the v1.0 claim controller
// writes it (the template's whole pod template copied in, managedFields for the controller's spec
// and status writes), its Pod as kube-apiserver and the kubelet fill it in (defaults, the
// service-account volume, container statuses, managedFields from three managers), and its claim.
// Used by the slimming tests (model/slim.ts) and the fleet memory bench.
import type { KubeObject } from '../../src/core/model/objects';

type Json = Record<string, unknown>;

/** managedFields' FieldsV1 of a subtree, as the apiserver builds it (maps by key, named lists by name). */
export function fieldsV1(v: unknown): Json {
  if (Array.isArray(v)) {
    const out: Json = {};
    v.forEach((item, i) => {
      const key = item && typeof item === 'object' && 'name' in item ? `k:${JSON.stringify({ name: (item as Json)['name'] })}` : `i:${i}`;
      out[key] = { '.': {}, ...fieldsV1(item) };
    });
    return out;
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [`f:${k}`, fieldsV1(x)]));
  return {};
}

const managed = (manager: string, operation: 'Update' | 'Apply', fields: Json, subresource?: string): Json => ({
  manager,
  operation,
  apiVersion: 'v1',
  time: '2026-08-01T10:00:14Z',
  fieldsType: 'FieldsV1',
  fieldsV1: fields,
  ...(subresource ? { subresource } : {}),
});

/** Timestamps of object i: each sandbox of the fleet started at its own second. */
const timesOf = (i: number) => (s: number) => new Date(Date.UTC(2026, 7, 1, 10, 0, 0) + (i * 37 + s) * 1000).toISOString().replace('.000', '');

/** The pod template an agent template carries (openclaw-like: an init step, a gateway, probes, a hardened context). */
export function agentPodTemplate(i: number): Json {
  const env = [
    { name: 'WORKSPACE', value: '/workspace' },
    { name: 'AGENT_MODE', value: 'autonomous' },
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'HOME', value: '/home/agent' },
    { name: 'PIP_INDEX_URL', value: 'https://pypi.internal.example.com/simple' },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc:4317' },
    { name: 'MODEL_API_KEY', valueFrom: { secretKeyRef: { name: 'model-api', key: 'token' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  const hardened = { runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  return {
    metadata: {
      labels: { app: 'agent', 'agents.x-k8s.io/claim-uid': `c-${i}`, 'agents.x-k8s.io/sandbox-template-ref-hash': '5c2e9a1f' },
      annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
    },
    spec: {
      runtimeClassName: 'gvisor',
      automountServiceAccountToken: false,
      securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [
        {
          name: 'init-config',
          image: 'ghcr.io/example/agent:2026.3.23',
          command: ['sh', '-c', 'cp /etc/agent-readonly/agent.json /etc/agent/agent.json && chmod 0600 /etc/agent/agent.json'],
          securityContext: hardened,
          resources: { requests: { cpu: '50m', memory: '64Mi' } },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/agent-readonly' },
            { name: 'etc-writable', mountPath: '/etc/agent' },
          ],
        },
        {
          // A native sidecar (restartPolicy Always): its requests add to the pod's.
          name: 'egress-proxy',
          image: 'ghcr.io/example/egress-proxy:1.4.2',
          restartPolicy: 'Always',
          args: ['--allow', '*.example.com', '--allow', 'pypi.internal.example.com'],
          securityContext: hardened,
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        },
      ],
      containers: [
        {
          name: 'agent',
          image: 'ghcr.io/example/agent:2026.3.23',
          command: ['/usr/local/bin/agent'],
          args: ['gateway', '--port', '18789', '--bind', '0.0.0.0', '--allow-unconfigured'],
          env,
          ports: [
            { name: 'gateway', containerPort: 18789, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          workingDir: '/workspace',
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 18789 }, initialDelaySeconds: 5, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: '/livez', port: 18789 }, initialDelaySeconds: 20, periodSeconds: 20, failureThreshold: 6 },
          securityContext: hardened,
          volumeMounts: [
            { name: 'workspace', mountPath: '/workspace' },
            { name: 'etc-writable', mountPath: '/etc/agent' },
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'home', mountPath: '/home/agent' },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: 'agent-config' } },
        { name: 'etc-writable', emptyDir: {} },
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
        { name: 'home', emptyDir: {} },
      ],
      tolerations: [{ key: 'sandbox.gke.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }],
      nodeSelector: { 'sandbox.gke.io/runtime': 'gvisor' },
    },
  };
}

const uid = (kind: string, i: number) => `${kind}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** Sandbox number i of a fleet, bound to claim i (or idle in its pool when `idle`). */
export function fleetSandbox(i: number, namespace = `team-${i % 20}`, idle = false): KubeObject {
  const at = timesOf(i);
  const name = `agent-${i.toString(36).padStart(6, '0')}`;
  const spec = {
    podTemplate: agentPodTemplate(i),
    volumeClaimTemplates: [
      {
        metadata: { name: 'workspace' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard-rwo', resources: { requests: { storage: '10Gi' } } },
      },
    ],
    operatingMode: 'Running',
    shutdownPolicy: 'Delete',
  };
  const status = {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'DependenciesReady',
        message: 'Pod is Ready; Service Exists',
        lastTransitionTime: at(14),
        observedGeneration: 1,
      },
      { type: 'PodScheduled', status: 'True', reason: 'Scheduled', message: '', lastTransitionTime: at(3), observedGeneration: 1 },
      { type: 'Suspended', status: 'False', reason: 'NotSuspended', message: '', lastTransitionTime: at(3), observedGeneration: 1 },
    ],
    podIPs: [`10.8.${(i >> 8) & 255}.${i & 255}`],
    nodeName: `gke-pool-gvisor-${i % 40}`,
    service: name,
    serviceFQDN: `${name}.${namespace}.svc.cluster.local`,
    replicas: 1,
    selector: `agents.x-k8s.io/sandbox-name-hash=${((i * 2654435761) >>> 0).toString(16)}`,
  };
  const owner = idle
    ? {
        apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
        kind: 'SandboxWarmPool',
        name: 'agent-pool',
        uid: uid('pool', 0),
        controller: true,
        blockOwnerDeletion: true,
      }
    : {
        apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
        kind: 'SandboxClaim',
        name: `claim-${i}`,
        uid: uid('claim', i),
        controller: true,
        blockOwnerDeletion: true,
      };
  const labels: Record<string, string> = idle
    ? { 'agents.x-k8s.io/warm-pool-sandbox': '8e0c7d15', 'agents.x-k8s.io/sandbox-template-ref-hash': '5c2e9a1f' }
    : { 'agents.x-k8s.io/launch-type': 'warm', 'agents.x-k8s.io/sandbox-template-ref-hash': '5c2e9a1f', 'agents.x-k8s.io/claim-uid': uid('claim', i) };
  const metadata = {
    name,
    namespace,
    uid: uid('sandbox', i),
    resourceVersion: String(100000 + i),
    generation: 1,
    creationTimestamp: at(0),
    labels,
    annotations: { 'agents.x-k8s.io/sandbox-template-ref': 'agent-template' },
    ownerReferences: [owner],
    finalizers: ['agents.x-k8s.io/sandbox-cleanup'],
  };
  return {
    apiVersion: 'agents.x-k8s.io/v1beta1',
    kind: 'Sandbox',
    metadata: {
      ...metadata,
      managedFields: [
        managed('agent-sandbox-controller', 'Update', {
          'f:metadata': fieldsV1({ labels, annotations: metadata.annotations, ownerReferences: [owner], finalizers: metadata.finalizers }),
          'f:spec': fieldsV1(spec),
        }),
        managed('agent-sandbox-controller', 'Update', { 'f:status': fieldsV1(status) }, 'status'),
      ],
    } as KubeObject['metadata'],
    spec,
    status,
  };
}

/** The Pod of fleet sandbox i, with what the apiserver defaults and the kubelet reports. */
export function fleetPod(i: number, namespace = `team-${i % 20}`): KubeObject {
  const at = timesOf(i);
  const sb = fleetSandbox(i, namespace);
  const t = agentPodTemplate(i) as { metadata: Json; spec: Json & { containers: Json[]; initContainers: Json[]; volumes: Json[] } };
  const defaults = { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
  const saMount = { name: 'kube-api-access-x7k2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
  const withDefaults = (c: Json) => ({ ...c, ...defaults, volumeMounts: [...((c['volumeMounts'] as Json[] | undefined) ?? []), saMount] });
  const spec = {
    ...t.spec,
    initContainers: t.spec.initContainers.map(withDefaults),
    containers: t.spec.containers.map(withDefaults),
    volumes: [
      ...t.spec.volumes,
      {
        name: 'kube-api-access-x7k2p',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ],
    nodeName: sb.status?.['nodeName'],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    terminationGracePeriodSeconds: 30,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    hostname: sb.metadata.name,
    subdomain: sb.metadata.name,
    tolerations: [
      ...(t.spec['tolerations'] as Json[]),
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  };
  const running = (c: Json, init: boolean) => ({
    name: c['name'],
    image: c['image'],
    imageID: `ghcr.io/example/agent@sha256:${'9f'.repeat(32)}`,
    containerID: `containerd://${(i * 7919).toString(16).padStart(64, 'a')}`,
    ready: !init,
    started: !init,
    restartCount: 0,
    state: init
      ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(5), finishedAt: at(6), containerID: `containerd://${'b'.repeat(64)}` } }
      : { running: { startedAt: at(7) } },
    lastState: {},
    volumeMounts: (withDefaults(c).volumeMounts as Json[]).map((m) => ({ ...m, recursiveReadOnly: m['readOnly'] ? 'Disabled' : undefined })),
    resources: c['resources'],
    allocatedResources: (c['resources'] as Json)['requests'],
    user: { linux: { uid: 1000, gid: 1000, supplementalGroups: [1000] } },
  });
  const status = {
    phase: 'Running',
    qosClass: 'Burstable',
    hostIP: '10.128.0.17',
    hostIPs: [{ ip: '10.128.0.17' }],
    podIP: (sb.status?.['podIPs'] as string[])[0],
    podIPs: [{ ip: (sb.status?.['podIPs'] as string[])[0] }],
    startTime: at(3),
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type, k) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: at(3 + k * 2),
      observedGeneration: 1,
    })),
    initContainerStatuses: spec.initContainers.map((c) => running(c, true)),
    containerStatuses: spec.containers.map((c) => running(c, false)),
  };
  const metadata = {
    name: sb.metadata.name,
    namespace,
    uid: uid('pod', i),
    resourceVersion: String(200000 + i),
    creationTimestamp: at(2),
    generation: 1,
    labels: { ...(t.metadata['labels'] as Json), 'agents.x-k8s.io/sandbox-name-hash': ((i * 2654435761) >>> 0).toString(16) },
    annotations: t.metadata['annotations'],
    ownerReferences: [
      { apiVersion: 'agents.x-k8s.io/v1beta1', kind: 'Sandbox', name: sb.metadata.name, uid: sb.metadata.uid, controller: true, blockOwnerDeletion: true },
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...metadata,
      managedFields: [
        managed('agent-sandbox-controller', 'Update', {
          'f:metadata': fieldsV1({ labels: metadata.labels, annotations: metadata.annotations, ownerReferences: metadata.ownerReferences }),
          'f:spec': fieldsV1(t.spec),
        }),
        managed('kube-scheduler', 'Update', { 'f:status': fieldsV1({ conditions: [status.conditions[4]] }) }, 'status'),
        managed('kubelet', 'Update', { 'f:status': fieldsV1(status) }, 'status'),
      ],
    } as KubeObject['metadata'],
    spec,
    status,
  };
}

/** Claim i of a fleet, bound to sandbox i. */
export function fleetClaim(i: number, namespace = `team-${i % 20}`): KubeObject {
  const at = timesOf(i);
  const spec = { warmPoolRef: { name: 'agent-pool' }, lifecycle: { shutdownTime: '2026-08-02T10:00:00Z', shutdownPolicy: 'Delete' } };
  const status = {
    sandbox: { name: fleetSandbox(i, namespace).metadata.name },
    conditions: [{ type: 'Ready', status: 'True', reason: 'SandboxReady', message: 'Sandbox is ready', lastTransitionTime: at(14), observedGeneration: 1 }],
  };
  const labels = { 'agents.x-k8s.io/created-by': 'agent-sandbox-vscode' };
  return {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxClaim',
    metadata: {
      name: `claim-${i}`,
      namespace,
      uid: uid('claim', i),
      resourceVersion: String(300000 + i),
      generation: 1,
      creationTimestamp: at(0),
      labels,
      annotations: { 'agents.x-k8s.io/claim-first-ready': at(14) },
      managedFields: [
        managed('agent-sandbox-vscode', 'Update', { 'f:metadata': fieldsV1({ labels }), 'f:spec': fieldsV1(spec) }),
        managed('agent-sandbox-controller', 'Update', { 'f:status': fieldsV1(status) }, 'status'),
      ],
    } as KubeObject['metadata'],
    spec,
    status,
  };
}
