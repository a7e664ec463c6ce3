import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import type { CodeOpsApi } from './appServer';
import {
  configWarningText,
  describeTarget,
  maskSecrets,
  pathsOf,
  readiness,
  recentLogs,
  recentPanics,
  supervisedStatus,
  validateConfig,
  type OperatorConfig,
  type ServerSnapshot,
} from '../mcp/facade';
import { AGENT_TOOLS, parseToolInput, type AgentBackend } from '../mcp/tools';

/**
 * The language-model tools and the MCP server definition, loaded from
 * dist/lmTools.js on first use (src/ui/lmTools.ts registers thin proxies at
 * activation). Answers come from the editor's live state: the supervised
 * server's snapshot and history, the settings in force, CODE_HOME's files.
 */

export const RESTART_TOOL = 'restart_server';

/** The tool names as contributed in package.json (`codeops_<name>`). */
export const lmToolName = (name: string) => `codeops_${name}`;

/** What the activation shim keeps between loads. */
export interface LiveState {
  /** configWarning notification params received since activation (bounded). */
  configWarnings: unknown[];
}

function operatorConfig(ctx: CodeOpsContext): OperatorConfig {
  const s = ctx.settings.current;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    codeHome: ctx.codeHome.path,
    command: s.appServer.command,
    args: s.appServer.args,
    socket: s.appServer.socket,
    serverEnv: s.appServer.env,
    serverCwd: s.appServer.cwd ?? folder,
    timeoutMs: s.appServer.probeTimeoutMs,
    target: s.readiness.target,
    dialect: s.config.dialect,
    backupGlob: s.readiness.backupGlob,
    backupMaxAgeDays: s.readiness.backupMaxAgeDays,
    env: process.env,
    cwd: folder ?? ctx.codeHome.path,
  };
}

export function editorBackend(ctx: CodeOpsContext, api: CodeOpsApi, live: LiveState): AgentBackend {
  const snapshot = (): ServerSnapshot => ctx.supervisor?.snapshot() ?? api.state;
  return {
    async serverStatus() {
      const config = operatorConfig(ctx);
      return supervisedStatus({
        snapshot: snapshot(),
        transitions: ctx.supervisor?.transitions?.() ?? [],
        stderr: ctx.supervisor?.recentStderr() ?? [],
        configWarnings: live.configWarnings.map(configWarningText),
        target: describeTarget(config),
        codeHome: config.codeHome,
      });
    },
    // Never a probe of its own: app-server-liveness reads the supervised server.
    readiness: (input) => readiness(operatorConfig(ctx), { ...input, probe: false, server: { snapshot: snapshot(), recentStderr: ctx.supervisor?.recentStderr() ?? [] } }),
    validateConfig: (input) => {
      const c = operatorConfig(ctx);
      return validateConfig({ ...c, target: input.target ?? c.target });
    },
    recentLogs: (input) => recentLogs(pathsOf(ctx.codeHome.path), input),
    recentPanics: (input) => recentPanics(pathsOf(ctx.codeHome.path), input),
  };
}

function result(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(maskSecrets(text))]);
}

/** The five read-only tools: the same schemas and renderings as `code-ops mcp`. */
async function invokeReadOnly(name: string, input: unknown, backend: AgentBackend): Promise<vscode.LanguageModelToolResult> {
  const tool = AGENT_TOOLS.find((t) => lmToolName(t.name) === name);
  if (!tool) throw new Error(`Code Ops has no tool named ${name}.`);
  const parsed = parseToolInput(tool, input);
  const answer = await tool.run(backend, parsed as never, Date.now());
  return result(answer.text);
}

const SETTLED = new Set(['healthy', 'crash-loop', 'config-error', 'not-found', 'stopped', 'crashed', 'backing-off']);

/** Asks the supervisor to restart and waits (bounded) until the server settles. */
async function restart(ctx: CodeOpsContext, api: CodeOpsApi, input: unknown, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
  const reason = typeof (input as { reason?: unknown })?.reason === 'string' ? (input as { reason: string }).reason.slice(0, 200) : undefined;
  if (input !== undefined && input !== null && (typeof input !== 'object' || Object.keys(input).some((k) => k !== 'reason'))) {
    throw new Error('Invalid input for restart_server: only an optional "reason" string is accepted.');
  }
  if (!ctx.trusted) throw new Error('Code Ops does not start or restart an app server in an untrusted workspace.');
  const before = api.state.state;
  const settled = new Promise<ServerSnapshot>((resolve) => {
    const sub = api.onDidChangeState((s) => {
      if (SETTLED.has(s.state) && s.state !== 'stopped') {
        sub.dispose();
        resolve(s);
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(api.state);
    }, Math.max(5000, ctx.settings.current.appServer.initializeTimeoutMs + 2000));
    token.onCancellationRequested(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve(api.state);
    });
  });
  await vscode.commands.executeCommand('codeOps.appServer.restart');
  const after = await settled;
  return result(
    [`Restarted the Code app server${reason ? ` (${reason})` : ''}: ${before} -> ${after.state}.`, `reason: ${after.reason}`, after.userAgent ? `user agent: ${after.userAgent}` : '', after.pid ? `pid: ${after.pid}` : '']
      .filter(Boolean)
      .join('\n'),
  );
}

/** One object behind all six proxies: invoke, confirmation, and the MCP definition. */
export class AgentTools {
  private readonly backend: AgentBackend;
  constructor(
    private readonly ctx: CodeOpsContext,
    private readonly api: CodeOpsApi,
    live: LiveState,
  ) {
    this.backend = editorBackend(ctx, api, live);
  }

  invoke(name: string, options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    if (name === lmToolName(RESTART_TOOL)) return restart(this.ctx, this.api, options.input, token);
    return invokeReadOnly(name, options.input, this.backend);
  }

  prepare(name: string): vscode.PreparedToolInvocation {
    if (name !== lmToolName(RESTART_TOOL)) return { invocationMessage: `Code Ops: ${name.replace(/^codeops_/, '').replace(/_/g, ' ')}` };
    const s = this.api.state;
    const message = new vscode.MarkdownString(
      `Code Ops will restart the supervised Code app server (\`${maskSecrets(describeTarget(operatorConfig(this.ctx)))}\`).\n\nIt is **${s.state}** now: ${maskSecrets(s.reason)}.\nRunning turns of that server are interrupted.`,
    );
    return { invocationMessage: 'Restarting the Code app server', confirmationMessages: { title: 'Restart the Code app server?', message } };
  }

  /** `code-ops mcp` with the operator's settings, run by the editor's own Node. Nothing when off or untrusted. */
  mcpDefinitions(enabled: boolean, trusted: boolean): vscode.McpStdioServerDefinition[] {
    if (!enabled || !trusted) return [];
    const c = operatorConfig(this.ctx);
    const args = [path.join(this.ctx.extension.extensionPath, 'dist', 'cli.js'), 'mcp', '--code-home', c.codeHome, '--target', c.target, '--dialect', c.dialect, '--timeout', String(c.timeoutMs)];
    if (c.socket) args.push('--socket', c.socket);
    else args.push('--command', c.command, ...c.args.flatMap((a) => ['--arg', a]));
    // In the desktop editor the host is Electron: make it behave as plain Node.
    return [new vscode.McpStdioServerDefinition('Code Ops', process.execPath, args, { ELECTRON_RUN_AS_NODE: '1' }, this.ctx.version)];
  }
}

export function createAgentTools(ctx: CodeOpsContext, api: CodeOpsApi, live: LiveState): AgentTools {
  return new AgentTools(ctx, api, live);
}
