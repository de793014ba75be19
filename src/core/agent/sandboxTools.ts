import { SandboxFileError } from '../files/errors';
import { defaultContainer } from '../files/locator';
import { runScript } from '../files/runner';
import { FileTarget, joinPath, normalizePath, parentPath } from '../files/uri';
import { podName, sandboxState } from '../model/sandbox';
import type { AgentBackend } from './backend';
import { runRemote, wrapperArgv } from './remoteCommand';
import { failure, ToolResult } from './result';
import { InvokeOptions, stateFailure, Target } from './toolTarget';
import { DEFAULT_OUTPUT_CAP } from './tools';
import type { Inputs } from './validate';

// The tools that work inside one sandbox: run a command, read, write and list files, preview a port.

const HEAD_SCRIPT = 'head -c "$2" -- "$1"';

function fileTarget(b: AgentBackend, t: Target, container: string | undefined): FileTarget {
  return { context: b.context, namespace: t.namespace, sandbox: t.sandbox.metadata.name, container: container ?? defaultContainer(t.sandbox) ?? '' };
}

async function resolvePath(b: AgentBackend, ft: FileTarget, p: string | undefined): Promise<string> {
  if (p?.startsWith('/')) return normalizePath(p);
  const wd = await b.fs.workingDirectory(ft);
  return p ? joinPath(wd, p) : wd;
}

export async function runCommand(b: AgentBackend, t: Target, input: Inputs['runCommand'], o: InvokeOptions): Promise<ToolResult> {
  const state = sandboxState(t.sandbox);
  if (state !== 'Running') return stateFailure(t, state);
  const ft = fileTarget(b, t, input.container);
  const pod = await b.fs.locator.locate(ft);
  const argv = 'argv' in input.command ? input.command.argv : ['sh', '-c', input.command.shell];
  // A long command keeps the sandbox from auto-hibernating under it.
  const held = b.activity?.hold?.({ context: b.context, namespace: t.namespace, sandbox: t.sandbox.metadata.name }, 'command');
  const run = await runRemote(pod, wrapperArgv({ argv, cwd: input.cwd, env: input.env }), {
    cap: DEFAULT_OUTPUT_CAP,
    timeoutMs: input.timeoutSeconds * 1000,
    signal: o.signal,
  }).finally(() => held?.dispose());
  const out = { stdout: run.stdout.text(), stderr: run.stderr.text() };
  if (run.result.kind === 'timeout' || run.result.kind === 'cancelled') {
    const killed = run.killed ? 'the process group was killed' : 'the remote process could not be identified, so it may still run';
    const what = run.result.kind === 'timeout' ? `Timed out after ${input.timeoutSeconds} s` : 'Cancelled';
    return failure(
      run.result.kind,
      `${what}; ${killed}.\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`,
      run.result.kind === 'timeout' ? 'Give a larger timeoutSeconds, or run long jobs in the background (nohup … &) and poll.' : undefined,
    );
  }
  if (run.result.kind === 'exited') {
    const code = run.result.code;
    return { ok: true, summary: `Exit code ${code}.`, exitCode: code, data: { exitCode: code, ...out } };
  }
  if (run.result.kind === 'lost') return failure('unreachable', `The connection to ${pod.label} was lost: ${run.result.message}`);
  return failure('failed', `The command could not run in ${pod.label}: ${run.result.message}`);
}

export async function readFile(b: AgentBackend, t: Target, input: Inputs['readFile'], o: InvokeOptions): Promise<ToolResult> {
  const ft = fileTarget(b, t, input.container);
  const p = await resolvePath(b, ft, input.path);
  let bytes: Uint8Array;
  let size: number | undefined;
  try {
    bytes = await b.fs.read(ft, p, { maxBytes: input.maxBytes, signal: o.signal });
  } catch (err) {
    if (!(err instanceof SandboxFileError && err.code === 'TooLarge')) throw err;
    size = err.size;
    const pod = await b.fs.locator.locate(ft);
    const r = await runScript(pod, { script: HEAD_SCRIPT, args: [p, String(input.maxBytes)], idleTimeoutMs: 30_000, signal: o.signal });
    bytes = r.stdout;
  }
  const omitted = size !== undefined ? size - bytes.byteLength : 0;
  const note = omitted > 0 ? `\n[truncated, ${omitted} bytes omitted]` : '';
  if (input.encoding === 'base64')
    return {
      ok: true,
      summary: `${p}: ${bytes.byteLength} bytes (base64)${omitted ? `, ${omitted} more bytes omitted` : ''}.`,
      data: { path: p, size: size ?? bytes.byteLength, content: Buffer.from(bytes).toString('base64'), omittedBytes: omitted },
    };
  if (!isUtf8Text(bytes)) return failure('failed', `${p} is not UTF-8 text (${size ?? bytes.byteLength} bytes).`, 'Read it again with encoding "base64".');
  return { ok: true, summary: `${p} (${size ?? bytes.byteLength} bytes):\n${Buffer.from(bytes).toString('utf8')}${note}` };
}

export async function writeFile(b: AgentBackend, t: Target, input: Inputs['writeFile'], o: InvokeOptions): Promise<ToolResult> {
  const ft = fileTarget(b, t, input.container);
  const p = await resolvePath(b, ft, input.path);
  const parent = parentPath(p);
  if (parent !== '/') await b.fs.mkdir(ft, parent, { parents: true });
  const { created } = await b.fs.write(ft, p, input.content, { create: true, overwrite: true, signal: o.signal });
  return { ok: true, summary: `${created ? 'Created' : 'Replaced'} ${p} (${input.content.byteLength} bytes).` };
}

export async function listDirectory(b: AgentBackend, t: Target, input: Inputs['listDirectory']): Promise<ToolResult> {
  const ft = fileTarget(b, t, input.container);
  const p = await resolvePath(b, ft, input.path);
  const entries = await b.fs.list(ft, p);
  entries.sort((x, y) => x.name.localeCompare(y.name));
  const rows = entries.slice(0, 1000).map((e) => ({
    name: e.name,
    type: e.isLink ? 'symlink' : e.kind === 'file' || e.kind === 'directory' ? e.kind : 'other',
    size: e.kind === 'file' ? e.size : undefined,
  }));
  const more = entries.length > 1000 ? ` (first 1000 of ${entries.length})` : '';
  return { ok: true, summary: `${p}: ${entries.length} entries${more}.`, data: rows };
}

export async function previewPort(b: AgentBackend, t: Target, input: Inputs['previewPort']): Promise<ToolResult> {
  const state = sandboxState(t.sandbox);
  if (state !== 'Running') return stateFailure(t, state);
  const pod = podName(t.sandbox);
  if (!pod) return stateFailure(t, state);
  const { url, reused } = await b.previews.open(b.client, {
    context: b.context,
    namespace: t.namespace,
    sandbox: t.sandbox.metadata.name,
    pod,
    container: input.container,
    port: input.port,
  });
  return { ok: true, summary: `Port ${input.port} of sandbox ${t.sandbox.metadata.name} is at ${url}${reused ? ' (existing forward)' : ''}.`, data: { url } };
}

/** Valid UTF-8 without NUL bytes: text a model can read as it is. */
export function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
