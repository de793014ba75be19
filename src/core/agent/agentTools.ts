import { isIsolated, runtimeClassOf, runtimeName } from '../model/sandbox';
import type { AgentBackend } from './backend';
import { describeCall, ToolCall, ToolCallLog } from './callLog';
import { confirmationText } from './confirmation';
import { decide, Decision } from './consent';
import { claimSandbox, deleteClaim, listPools, listSandboxes, setHibernated } from './fleetTools';
import { failure, resultFromError, ToolResult } from './result';
import { listDirectory, previewPort, readFile, runCommand, writeFile } from './sandboxTools';
import { findTarget, InvokeOptions, Target } from './toolTarget';
import { toolDef, ToolName } from './tools';
import { Inputs, validateInput } from './validate';

/** What prepareInvocation shows: the message, and whether the person must confirm (or why it is refused). */
export interface Preparation {
  message: string;
  decision: Decision;
  /** For a confirmation dialog: what will happen, naming the sandbox and runtime. */
  detail?: string;
}

export type { InvokeOptions };

/**
 * Runs agent tools against one context. Shared by the VS Code language-model tools and the MCP
 * server; every call is validated, scoped to the allowed namespaces, consent-checked and logged.
 */
export class AgentTools {
  constructor(
    private readonly backend: () => Promise<AgentBackend>,
    readonly calls = new ToolCallLog(),
  ) {}

  /** Looks the target up (for its runtime) and says what the call will do, without doing it. */
  async prepare(tool: ToolName, raw: unknown): Promise<Preparation> {
    const def = toolDef(tool);
    const v = validateInput(tool, raw);
    if (!def || !v.ok) return { message: `${def?.displayName ?? tool}: invalid input`, decision: { action: 'run' } };
    let b: AgentBackend;
    try {
      b = await this.backend();
    } catch {
      return { message: def.displayName, decision: { action: 'run' } };
    }
    const input = v.value as { sandbox?: string; claim?: string; namespace?: string; pool?: string };
    const ns = input.namespace ?? b.defaultNamespace;
    const what = input.sandbox
      ? `sandbox ${ns}/${input.sandbox}`
      : input.claim
        ? `claim ${ns}/${input.claim}`
        : input.pool
          ? `pool ${ns}/${input.pool}`
          : `namespace ${ns}`;
    let isolated: boolean | undefined;
    let runtime = '';
    if (input.sandbox) {
      const t = await findTarget(b, ns, input.sandbox).catch(() => undefined);
      if (t && 'sandbox' in t) {
        isolated = isIsolated(runtimeClassOf(t.sandbox));
        runtime = runtimeName(runtimeClassOf(t.sandbox));
      }
    }
    const decision = decide(def.capability, isolated, b.policy);
    return {
      message: `${def.displayName}: ${what}${runtime ? ` (${runtime})` : ''} in ${b.context}`,
      decision,
      detail: confirmationText(tool, v.value, what, runtime, b.context),
    };
  }

  /** Runs a tool. Never throws: every failure is a result the model can read. */
  async invoke(tool: ToolName, raw: unknown, o: InvokeOptions = {}): Promise<ToolResult> {
    const start = Date.now();
    const call: ToolCall = { at: start, tool, context: '', durationMs: 0, outcome: 'ok' };
    let result: ToolResult;
    let backend: AgentBackend | undefined;
    try {
      // Bad input is answered before the cluster is asked anything (it may be down).
      const v = validateInput(tool, raw);
      if (!v.ok) result = failure('invalid-input', v.message);
      else {
        backend = await this.backend();
        call.context = backend.context;
        result = await this.run(backend, tool, v.value, call, o);
      }
    } catch (err) {
      result = resultFromError(err, call.sandbox);
    }
    call.durationMs = Date.now() - start;
    call.outcome = result.ok ? 'ok' : result.code;
    if (result.ok && result.exitCode !== undefined) call.exitCode = result.exitCode;
    this.calls.add(call);
    backend?.log.info(describeCall(call));
    return result;
  }

  private async run(b: AgentBackend, tool: ToolName, value: Inputs[ToolName], call: ToolCall, o: InvokeOptions): Promise<ToolResult> {
    const v = { value };
    const def = toolDef(tool);
    if (!def) return failure('invalid-input', `Unknown tool ${tool}`);
    const input = v.value as { namespace?: string; sandbox?: string };
    const ns = input.namespace ?? b.defaultNamespace;
    call.namespace = ns;
    if (b.namespaces && !b.namespaces.includes(ns)) {
      return failure(
        'forbidden',
        `Namespace ${ns} is outside the namespaces this session may use (${b.namespaces.join(', ')}).`,
        'Use one of those namespaces, or ask the user to choose more namespaces.',
      );
    }
    let target: Target | undefined;
    if (input.sandbox) {
      call.sandbox = input.sandbox;
      const found = await findTarget(b, ns, input.sandbox);
      if ('error' in found) return found.error;
      target = found;
      call.sandbox = found.sandbox.metadata.name;
    }
    const decision = decide(def.capability, target ? isIsolated(runtimeClassOf(target.sandbox)) : undefined, b.policy);
    if (decision.action === 'refuse') return failure('refused', decision.reason);
    if (target) b.activity?.touch({ context: b.context, namespace: ns, sandbox: target.sandbox.metadata.name }, 'agent-tool');

    switch (tool) {
      case 'listSandboxes':
        return listSandboxes(b, input.namespace);
      case 'listWarmPools':
        return listPools(b, input.namespace);
      case 'claimSandbox':
        return claimSandbox(b, ns, v.value as Inputs['claimSandbox'], call, o);
      case 'runCommand':
        return runCommand(b, target as Target, v.value as Inputs['runCommand'], o);
      case 'readFile':
        return readFile(b, target as Target, v.value as Inputs['readFile'], o);
      case 'writeFile':
        return writeFile(b, target as Target, v.value as Inputs['writeFile'], o);
      case 'listDirectory':
        return listDirectory(b, target as Target, v.value as Inputs['listDirectory']);
      case 'hibernateSandbox':
      case 'resumeSandbox':
        return setHibernated(b, target as Target, tool === 'hibernateSandbox', o);
      case 'deleteClaim':
        return deleteClaim(b, ns, (v.value as Inputs['deleteClaim']).claim, call);
      case 'previewPort':
        return previewPort(b, target as Target, v.value as Inputs['previewPort']);
    }
  }
}
