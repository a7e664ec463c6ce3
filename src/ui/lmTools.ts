import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import type { CodeOpsApi } from './appServer';
// Types only: the tools, the MCP SDK-free core facade and the renderers live in dist/lmTools.js.
import type { AgentTools, LiveState } from './lmToolsFeature';
import { registerTestHook } from './testHooks';
import { TEST_HOOKS_BUILT } from './testHooksBuild';
import { loadBundle } from '../core/codeCache';

type LmToolsModule = typeof import('./lmToolsFeature');

/** As contributed in package.json (contributes.languageModelTools). */
const TOOL_NAMES = ['server_status', 'readiness', 'validate_config', 'recent_logs', 'recent_panics', 'restart_server'].map((n) => `codeops_${n}`);
const MCP_PROVIDER = 'codeOps.mcpServer';
const MAX_WARNINGS = 20;

/**
 * Language-model tools and the `code-ops mcp` server definition. At activation
 * only thin proxies are registered; the first call requires dist/lmTools.js.
 * Editors without the language-model API (older than 1.101) skip all of it.
 */
export function registerLmTools(ctx: CodeOpsContext, api: CodeOpsApi): void {
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (typeof lm?.registerTool !== 'function') return;
  const live: LiveState = { configWarnings: [] };
  let tools: AgentTools | undefined;
  const load = (): AgentTools => {
    if (!tools) {
      const mod = loadBundle(path.join(ctx.extension.extensionPath, 'dist', 'lmTools.js')) as LmToolsModule;
      tools = mod.createAgentTools(ctx, api, live);
    }
    return tools;
  };
  const enabled = () => ctx.settings.current.mcp.registerServer;
  const changed = new vscode.EventEmitter<void>();
  const provide = (trusted = vscode.workspace.isTrusted) => (enabled() && trusted ? load().mcpDefinitions(true, trusted) : []);
  ctx.subscriptions.push(
    changed,
    ...TOOL_NAMES.map((name) =>
      lm.registerTool<unknown>(name, {
        invoke: (options, token) => load().invoke(name, options, token),
        prepareInvocation: () => load().prepare(name),
      }),
    ),
    api.onNotification('configWarning', (params) => {
      live.configWarnings.push(params);
      if (live.configWarnings.length > MAX_WARNINGS) live.configWarnings.shift();
    }),
    // The definition carries CODE_HOME and the app-server settings: any change may alter it.
    ctx.settings.onDidChange(() => changed.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    ...(TEST_HOOKS_BUILT ? [registerTestHook('codeOps.lmTools.testHook', (action: unknown, arg: unknown) => {
      if (action === 'prepare') {
        const p = load().prepare(String(arg));
        const m = p.confirmationMessages?.message;
        return { invocationMessage: p.invocationMessage, title: p.confirmationMessages?.title, message: typeof m === 'string' ? m : m?.value };
      }
      if (action !== 'provide') throw new Error(`unknown test hook ${String(action)}`);
      return provide(typeof arg === 'boolean' ? arg : undefined).map((d) => ({ label: d.label, command: d.command, args: d.args, env: d.env, version: d.version }));
    })] : []),
  );
  if (typeof lm.registerMcpServerDefinitionProvider === 'function') {
    ctx.subscriptions.push(lm.registerMcpServerDefinitionProvider(MCP_PROVIDER, { onDidChangeMcpServerDefinitions: changed.event, provideMcpServerDefinitions: () => provide() }));
  }
}
