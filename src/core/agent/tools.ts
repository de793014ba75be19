/**
 * The agent tools, defined once for both the VS Code language-model tools and the MCP server:
 * names, what the model reads about them, their JSON input schemas and what they may change.
 * package.json's contributes.languageModelTools is checked against this list by a unit test.
 */

/** What a tool may do; consent rules are per capability. */
export type Capability = 'read' | 'run' | 'write' | 'claim' | 'lifecycle' | 'delete' | 'preview';

export interface ToolDef {
  /** Short name used by MCP; VS Code names it `agentSandbox_<name>`. */
  name: ToolName;
  displayName: string;
  capability: Capability;
  modelDescription: string;
  inputSchema: JsonSchema;
}

export type JsonSchema = Record<string, unknown>;

export const TOOL_NAMES = [
  'listSandboxes',
  'listWarmPools',
  'claimSandbox',
  'runCommand',
  'readFile',
  'writeFile',
  'listDirectory',
  'hibernateSandbox',
  'resumeSandbox',
  'deleteClaim',
  'previewPort',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const LM_PREFIX = 'agentSandbox_';
export const lmToolName = (name: ToolName): string => `${LM_PREFIX}${name}`;

/** runCommand's timeout: used when the model gives none, and the most it may ask for. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const MAX_TIMEOUT_SECONDS = 900;
/** stdout and stderr are each capped at this many bytes in a result (head and tail kept). */
export const DEFAULT_OUTPUT_CAP = 64 * 1024;
/** readFile returns at most this many bytes unless asked for fewer. */
export const MAX_READ_BYTES = 1024 * 1024;
export const MAX_WRITE_BYTES = 8 * 1024 * 1024;

const namespace = { type: 'string', description: 'Kubernetes namespace. Default: the first namespace this session works in.' };
const sandbox = { type: 'string', description: 'Name of the sandbox, or of the claim that owns it (as returned by claimSandbox or listSandboxes).' };
const container = { type: 'string', description: 'Container in the sandbox pod. Default: its main (first) container.' };
const path = { type: 'string', description: 'Absolute path in the sandbox, or relative to the container working directory. ".." segments are refused.' };

export const TOOLS: readonly ToolDef[] = [
  {
    name: 'listSandboxes',
    displayName: 'List Sandboxes',
    capability: 'read',
    modelDescription:
      'Lists the Agent Sandbox sandboxes (isolated Kubernetes pods for running code) in the current Kubernetes context: name, namespace, state (Running, Starting, Hibernated…), the claim and warm pool it came from, its isolation runtime (gVisor, Kata or runc), whether an agent claimed it, and how long this session has not used it. Call this first to find a sandbox to work in.',
    inputSchema: { type: 'object', properties: { namespace }, additionalProperties: false },
  },
  {
    name: 'listWarmPools',
    displayName: 'List Warm Pools',
    capability: 'read',
    modelDescription:
      'Lists the warm pools sandboxes can be claimed from: pool name, ready and desired sandboxes, template and isolation runtime. A pool with ready sandboxes gives a sandbox in about a second (warm); an empty pool starts one cold.',
    inputSchema: { type: 'object', properties: { namespace }, additionalProperties: false },
  },
  {
    name: 'claimSandbox',
    displayName: 'Claim Sandbox',
    capability: 'claim',
    modelDescription:
      'Claims a new sandbox from a warm pool and waits until it is Ready. Returns the claim name, the sandbox name, whether it came warm from the pool or started cold, and the milliseconds to Ready. Use the returned sandbox name with runCommand, readFile and writeFile. Optional: ttlSeconds deletes the claim and its sandbox after that time; env sets environment variables (forces a cold start); labels are added to the claim.',
    inputSchema: {
      type: 'object',
      properties: {
        pool: { type: 'string', description: 'Warm pool to claim from (see listWarmPools).' },
        namespace,
        name: { type: 'string', description: 'Claim name (lowercase letters, digits and "-"). Default: generated from the pool name.' },
        ttlSeconds: { type: 'integer', minimum: 60, maximum: 604800, description: 'Delete the claim and its sandbox this many seconds after creation.' },
        env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Environment variables for the sandbox main container (a cold start).' },
        labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra labels on the claim.' },
      },
      required: ['pool'],
      additionalProperties: false,
    },
  },
  {
    name: 'runCommand',
    displayName: 'Run Command in Sandbox',
    capability: 'run',
    modelDescription: `Runs a command inside a sandbox (never on the user's machine) and returns its exit code, stdout and stderr. Give either argv (a program and its arguments, no shell) or shell (a script run by the sandbox's sh, for pipes and redirections). stdout and stderr are each capped at ${DEFAULT_OUTPUT_CAP / 1024} KB; a "[truncated, N bytes omitted]" marker shows where output was cut. The command is killed after timeoutSeconds (default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS}). A hibernated sandbox must be resumed first (resumeSandbox).`,
    inputSchema: {
      type: 'object',
      properties: {
        sandbox,
        namespace,
        argv: {
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          description: 'Program and arguments, run without a shell. Exactly one of argv and shell.',
        },
        shell: { type: 'string', description: 'A shell script run as sh -c. Exactly one of argv and shell.' },
        cwd: { type: 'string', description: 'Working directory (absolute). Default: the container working directory.' },
        env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra environment variables for this command.' },
        timeoutSeconds: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_TIMEOUT_SECONDS,
          description: `Kill the command after this many seconds (default ${DEFAULT_TIMEOUT_SECONDS}).`,
        },
        container,
      },
      required: ['sandbox'],
      additionalProperties: false,
    },
  },
  {
    name: 'readFile',
    displayName: 'Read Sandbox File',
    capability: 'read',
    modelDescription: `Reads a file from a sandbox. Text is returned as UTF-8 (encoding "base64" for binary files). At most maxBytes (default and maximum ${MAX_READ_BYTES / 1024 / 1024} MB) are returned; a longer file says how many bytes were omitted.`,
    inputSchema: {
      type: 'object',
      properties: {
        sandbox,
        namespace,
        path,
        encoding: { type: 'string', enum: ['utf8', 'base64'], description: 'How to return the bytes (default utf8).' },
        maxBytes: { type: 'integer', minimum: 1, maximum: MAX_READ_BYTES, description: 'Return at most this many bytes.' },
        container,
      },
      required: ['sandbox', 'path'],
      additionalProperties: false,
    },
  },
  {
    name: 'writeFile',
    displayName: 'Write Sandbox File',
    capability: 'write',
    modelDescription: `Writes a file in a sandbox atomically (the old content stays until every byte arrived), creating missing parent directories. content is UTF-8 text, or base64 with encoding "base64". At most ${MAX_WRITE_BYTES / 1024 / 1024} MB.`,
    inputSchema: {
      type: 'object',
      properties: {
        sandbox,
        namespace,
        path,
        content: { type: 'string', description: 'The new file content.' },
        encoding: { type: 'string', enum: ['utf8', 'base64'], description: 'How content is encoded (default utf8).' },
        container,
      },
      required: ['sandbox', 'path', 'content'],
      additionalProperties: false,
    },
  },
  {
    name: 'listDirectory',
    displayName: 'List Sandbox Directory',
    capability: 'read',
    modelDescription:
      'Lists a directory in a sandbox: each entry with its type (file, directory, symlink, other) and size in bytes. At most 1000 entries are returned.',
    inputSchema: {
      type: 'object',
      properties: { sandbox, namespace, path: { ...path, description: `${path.description} Default: the working directory.` }, container },
      required: ['sandbox'],
      additionalProperties: false,
    },
  },
  {
    name: 'hibernateSandbox',
    displayName: 'Hibernate Sandbox',
    capability: 'lifecycle',
    modelDescription:
      'Hibernates a sandbox: its pod stops (no compute cost) while files on its persistent volume are kept. Waits until it is hibernated. resumeSandbox brings it back.',
    inputSchema: { type: 'object', properties: { sandbox, namespace }, required: ['sandbox'], additionalProperties: false },
  },
  {
    name: 'resumeSandbox',
    displayName: 'Resume Sandbox',
    capability: 'lifecycle',
    modelDescription: 'Resumes a hibernated sandbox and waits until it is Ready again; files on its persistent volume are still there.',
    inputSchema: { type: 'object', properties: { sandbox, namespace }, required: ['sandbox'], additionalProperties: false },
  },
  {
    name: 'deleteClaim',
    displayName: 'Delete Sandbox Claim',
    capability: 'delete',
    modelDescription: 'Deletes a sandbox claim together with its sandbox, pod and persistent volumes (all files are lost). Always asks the user.',
    inputSchema: {
      type: 'object',
      properties: { claim: { type: 'string', description: 'Name of the claim to delete.' }, namespace },
      required: ['claim'],
      additionalProperties: false,
    },
  },
  {
    name: 'previewPort',
    displayName: 'Preview Sandbox Port',
    capability: 'preview',
    modelDescription:
      'Makes a TCP port a server listens on inside a sandbox reachable from the user machine and returns the local URL (http://127.0.0.1:PORT). Reuses an existing forward of the same port.',
    inputSchema: {
      type: 'object',
      properties: { sandbox, namespace, port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Port inside the sandbox.' }, container },
      required: ['sandbox', 'port'],
      additionalProperties: false,
    },
  },
];

export function toolDef(name: string): ToolDef | undefined {
  return TOOLS.find((t) => t.name === name);
}
