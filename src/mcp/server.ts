import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { maskSecrets } from './facade';
import { AGENT_TOOLS, type AgentBackend } from './tools';

export interface McpServerOptions {
  backend: AgentBackend;
  version: string;
  now?: () => number;
}

/**
 * An MCP server with the agent tools. A tool that fails (bad input, an
 * unreadable file, a server that cannot be started) answers with an MCP tool
 * error whose text says why; nothing it receives can end the process.
 */
export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: 'code-ops', title: 'Code Ops', version: options.version },
    {
      capabilities: { tools: {} },
      instructions:
        "Code Ops answers an operator's questions about Code and its app server: health (server_status), production readiness (readiness), the [otel] configuration (validate_config), the logs (recent_logs) and panics (recent_panics). All tools only read; the server they probe is the one the operator configured.",
    },
  );
  const now = options.now ?? Date.now;
  for (const tool of AGENT_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { title: tool.title, readOnlyHint: tool.readOnly, openWorldHint: false },
      },
      async (input: Record<string, unknown>) => {
        try {
          const answer = await tool.run(options.backend, input as never, now());
          return { content: [{ type: 'text' as const, text: maskSecrets(answer.text) }], structuredContent: answer.structured };
        } catch (err) {
          return { content: [{ type: 'text' as const, text: maskSecrets(`${tool.name} failed: ${err instanceof Error ? err.message : String(err)}`) }], isError: true };
        }
      },
    );
  }
  return server;
}

/** Serves on stdin/stdout until the client closes stdin or `stop` resolves. */
export async function serveStdio(options: McpServerOptions & { stop?: Promise<void>; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }): Promise<void> {
  const server = createMcpServer(options);
  const input = (options.input ?? process.stdin) as typeof process.stdin;
  const transport = new StdioServerTransport(input, (options.output ?? process.stdout) as typeof process.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    input.once('end', () => resolve());
    input.once('close', () => resolve());
  });
  await server.connect(transport);
  await Promise.race([closed, options.stop ?? new Promise<void>(() => undefined)]);
  await server.close();
}
