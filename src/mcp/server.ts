import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AgentTools } from '../core/agent/agentTools';
import { renderResult } from '../core/agent/result';
import { TOOL_NAMES, TOOLS, ToolName } from '../core/agent/tools';

export const SERVER_NAME = 'agent-sandbox';

/** The MCP face of the shared tools: same names (without the VS Code prefix), schemas and results. */
export function createMcpServer(tools: AgentTools, version: string): Server {
  const server = new Server({ name: SERVER_NAME, version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map((t) => ({
      name: t.name,
      title: t.displayName,
      description: t.modelDescription,
      inputSchema: t.inputSchema as { type: 'object'; properties?: Record<string, object> },
      annotations: { readOnlyHint: t.capability === 'read', destructiveHint: t.capability === 'delete', openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const name = req.params.name;
    if (!(TOOL_NAMES as readonly string[]).includes(name)) {
      return { content: [{ type: 'text', text: `Error (invalid-input): unknown tool ${name}; the tools are ${TOOL_NAMES.join(', ')}` }], isError: true };
    }
    const result = await tools.invoke(name as ToolName, req.params.arguments ?? {}, { signal: extra.signal });
    return { content: [{ type: 'text', text: renderResult(result) }], isError: !result.ok };
  });
  return server;
}
