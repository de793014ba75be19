// agent-sandbox-mcp: the Agent Sandbox tools as an MCP server over stdio, for any MCP client
// (Claude Code, Cursor, VS Code). Logs go to stderr; stdout carries only the protocol.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AgentTools } from '../core/agent/agentTools';
import { agentFileSystem, AgentBackend } from '../core/agent/backend';
import { PreviewForwards } from '../core/agent/previews';
import { KubeClient } from '../core/k8s/client';
import { discover } from '../core/k8s/discovery';
import { describeError, KubeError } from '../core/k8s/errors';
import { configForContext, contextNamespace, loadKubeconfig, resolveKubeconfigFiles } from '../core/k8s/kubeconfig';
import { SandboxOperations } from '../core/k8s/operations';
import type { Logger } from '../core/logging/logger';
import { ActivityTracker } from '../core/finops/activity';
import { ArgsError, parseArgs, USAGE } from './args';
import { createMcpServer } from './server';

declare const AGENT_SANDBOX_VERSION: string | undefined;

const stderrLog: Logger = {
  trace() {},
  debug() {},
  info: (m) => process.stderr.write(`[agent-sandbox-mcp] ${m}\n`),
  warn: (m) => process.stderr.write(`[agent-sandbox-mcp] warning: ${m}\n`),
  error: (m) => process.stderr.write(`[agent-sandbox-mcp] error: ${m instanceof Error ? m.message : m}\n`),
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const args = parseArgs(argv);
  const loaded = loadKubeconfig(resolveKubeconfigFiles(args.kubeconfig));
  const context = args.context ?? loaded.currentContext;
  if (!loaded.contexts.includes(context)) throw new ArgsError(`context "${context}" is not in the kubeconfig (it has ${loaded.contexts.join(', ')})`);
  const namespaces = args.allNamespaces ? undefined : args.namespaces.length ? args.namespaces : [contextNamespace(loaded.config, context) ?? 'default'];
  const client = new KubeClient(configForContext(loaded.config, context), context, stderrLog);
  const activity = new ActivityTracker();
  const previews = new PreviewForwards(stderrLog, (ref) => activity.touch(ref, 'agent-tool'));
  // Discovery is retried on the next call when the cluster was unreachable, so the server starts
  // (and lists its tools) even while the cluster is down; each call then explains the failure.
  let backend: Promise<AgentBackend> | undefined;
  const getBackend = (): Promise<AgentBackend> => {
    backend ??= (async () => {
      const api = await discover(client);
      if (!api.core) throw new KubeError(`agent-sandbox (agents.x-k8s.io) is not installed in the cluster of context ${context}`, 404, 'NotInstalled');
      const ops = new SandboxOperations(client, api, stderrLog);
      return {
        context,
        client,
        api,
        ops,
        fs: agentFileSystem(client, ops, stderrLog),
        namespaces,
        defaultNamespace: namespaces?.[0] ?? contextNamespace(loaded.config, context) ?? 'default',
        policy: { mode: 'flags', allowed: args.allowed, allowUnisolatedRun: args.allowUnisolatedRun },
        previews,
        readyTimeoutMs: args.readyTimeoutSeconds * 1000,
        hibernateTimeoutMs: args.readyTimeoutSeconds * 1000,
        log: stderrLog,
        activity,
      } satisfies AgentBackend;
    })().catch((err: unknown) => {
      backend = undefined;
      throw err;
    });
    return backend;
  };
  const tools = new AgentTools(getBackend);
  const server = createMcpServer(tools, typeof AGENT_SANDBOX_VERSION === 'string' ? AGENT_SANDBOX_VERSION : '0.0.0-dev');
  const transport = new StdioServerTransport();
  const shutdown = async () => {
    await previews.dispose().catch(() => undefined);
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  await server.connect(transport);
  stderrLog.info(
    `serving context ${context}, namespaces ${namespaces ? namespaces.join(', ') : 'all'}; allowed: ${[...args.allowed].join(', ') || 'read only'}${args.allowUnisolatedRun ? ', unisolated run' : ''}`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ArgsError) process.stderr.write(`agent-sandbox-mcp: ${err.message}\n\n${USAGE}\n`);
  else process.stderr.write(`agent-sandbox-mcp: ${describeError(err)}\n`);
  process.exit(2);
});
