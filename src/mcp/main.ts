/** Entry of dist/mcp.js, required by `code-ops mcp` (src/cli/mcp.ts) so other commands do not load the MCP SDK. */
export { serveStdio, createMcpServer } from './server';
export { cliBackend } from './cliBackend';
