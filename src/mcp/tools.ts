import { z } from 'zod';
import { CHECK_IDS, LEVELS, type ConfigReport, type Level, type LogName, type LogsReport, type PanicOut, type ReadinessReport, type ServerStatus, type TARGETS } from './facade';
import { parseSince } from './logEntries';
import { renderConfig, renderLogs, renderPanics, renderReadiness, renderStatus } from './render';

/**
 * The agent tools, shared by the `code-ops mcp` server and the editor's
 * language-model tools: name, description for a model, input schema, and how
 * the answer is rendered. Where the answers come from is the backend's business
 * (a fresh probe in the CLI, the supervisor's live state in the editor).
 */

export interface AgentBackend {
  serverStatus(): Promise<ServerStatus>;
  readiness(input: { section?: string; check?: string; probe: boolean }): Promise<ReadinessReport>;
  validateConfig(input: { target?: (typeof TARGETS)[number] }): Promise<ConfigReport>;
  recentLogs(input: { log: LogName; lines: number; minLevel?: Level; sinceMs?: number }): Promise<LogsReport>;
  recentPanics(input: { sinceMs: number; untilMs: number; max: number }): Promise<{ panics: PanicOut[]; omitted: number; files: string[] }>;
}

export interface ToolAnswer {
  text: string;
  structured: Record<string, unknown>;
}

export interface AgentTool<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  readOnly: boolean;
  run(backend: AgentBackend, input: z.infer<S>, now: number): Promise<ToolAnswer>;
}

/** Keeps each tool's input type tied to its schema. */
function defineTool<S extends z.ZodObject>(tool: AgentTool<S>): AgentTool<S> {
  return tool;
}

const since = z.string().max(64).describe('Only entries at or after this time: an ISO 8601 time (2026-01-31T12:00:00Z) or an age such as 30m, 2h, 7d.');

const serverStatus = defineTool({
  name: 'server_status',
  title: 'App server status',
  description:
    "Is Code's app server (code-app-server or codex app-server) healthy? Returns its state (healthy, unresponsive, crashed, config-error, not-found…), the reason, initialize and liveness-probe latencies, the user agent, the home it reports, configuration warnings it sent, and the last stderr lines. The server and its command are the operator's configuration; this tool takes no input.",
  input: z.object({}).strict(),
  readOnly: true,
  async run(backend) {
    const s = await backend.serverStatus();
    return { text: renderStatus(s), structured: { ...s } };
  },
});

const readinessTool = defineTool({
  name: 'readiness',
  title: 'Production readiness checks',
  description:
    "Runs the automatic checks of Code's production readiness checklist (CODE_HOME permissions, config.toml [otel], secure mode, RUST_LOG, app-server binary and liveness, panics, crash loops, logs, backups) and returns each verdict (pass, fail, warn, skip) with a one-line detail. Optionally only one checklist section (by title, or part of it) or one check id.",
  input: z
    .object({
      section: z.string().min(1).max(200).optional().describe('Only the checks of this checklist section: its title or a distinctive part of it, e.g. "Security" or "Monitoring".'),
      check: z.enum(CHECK_IDS).optional().describe('Only this check.'),
      probe: z.boolean().default(false).describe("Also start the operator's configured app server briefly to check liveness (a few seconds). Default false."),
    })
    .strict(),
  readOnly: true,
  async run(backend, input) {
    const r = await backend.readiness({ section: input.section, check: input.check, probe: input.probe });
    return { text: renderReadiness(r), structured: { ...r } };
  },
});

const validateTool = defineTool({
  name: 'validate_config',
  title: 'Validate config.toml [otel]',
  description:
    "Validates the [otel] section of Code's config.toml and of the managed configuration layer (which overrides it key by key) against the server's rules, and returns every diagnostic with file, line and column, plus the effective environment, exporter and log_user_prompt and which file each comes from. Secrets are masked.",
  input: z
    .object({
      target: z.enum(['production', 'staging', 'development']).optional().describe('Readiness target; with production, environment must be "production". Default: the operator\'s setting.'),
    })
    .strict(),
  readOnly: true,
  async run(backend, input) {
    const r = await backend.validateConfig({ target: input.target });
    return { text: renderConfig(r), structured: { ...r } };
  },
});

const logsTool = defineTool({
  name: 'recent_logs',
  title: "Recent lines of Code's logs",
  description:
    "Returns the last N entries of Code's TUI log (code-tui.log, all levels) or of the critical log (critical.log.YYYY-MM-DD, errors only), optionally at or above a level and since a time. Lines without a timestamp are joined to the entry above them, so a panic comes with its message. Panics are flagged. Secrets are masked.",
  input: z
    .object({
      log: z.enum(['tui', 'critical']).default('tui').describe('tui: code-tui.log; critical: the rolling critical.log.* files.'),
      lines: z.number().int().min(1).max(500).default(50).describe('How many of the newest matching entries to return (1-500, default 50).'),
      level: z.enum(LEVELS).optional().describe('Minimum level: WARN returns WARN and ERROR entries. Panics are always included.'),
      since: since.optional(),
    })
    .strict(),
  readOnly: true,
  async run(backend, input, now) {
    const sinceMs = input.since !== undefined ? parseSince(input.since, now) : undefined;
    const r = await backend.recentLogs({ log: input.log, lines: input.lines, minLevel: input.level as Level | undefined, sinceMs });
    const filter = [input.level ? ` at ${input.level} or above` : '', sinceMs !== undefined ? ` since ${new Date(sinceMs).toISOString()}` : ''].join('');
    return { text: renderLogs(r, filter), structured: { ...r } };
  },
});

const panicsTool = defineTool({
  name: 'recent_panics',
  title: 'Recent panics',
  description:
    "Finds the panics Code logged in a time window (default: the last 24 hours) in code-tui.log and critical.log.*, and returns for each its time, source location (file:line:col), thread, panic message and the log file and line. Any panic is a critical alert in the production checklist.",
  input: z
    .object({
      since: since.default('24h'),
      until: z.string().max(64).optional().describe('End of the window (same forms as since). Default: now.'),
      max: z.number().int().min(1).max(100).default(20).describe('At most this many panics, the newest (1-100, default 20).'),
    })
    .strict(),
  readOnly: true,
  async run(backend, input, now) {
    const sinceMs = parseSince(input.since, now);
    const untilMs = input.until !== undefined ? parseSince(input.until, now) : now;
    if (untilMs < sinceMs) throw new Error(`until (${new Date(untilMs).toISOString()}) is before since (${new Date(sinceMs).toISOString()}).`);
    const r = await backend.recentPanics({ sinceMs, untilMs, max: input.max });
    const window = `between ${new Date(sinceMs).toISOString()} and ${new Date(untilMs).toISOString()}`;
    return { text: renderPanics(r, window), structured: { window: { since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString() }, ...r } };
  },
});

export const AGENT_TOOLS: readonly AgentTool[] = [serverStatus, readinessTool, validateTool, logsTool, panicsTool] as unknown as readonly AgentTool[];

/** Validates raw input against a tool's schema; throws one sentence naming every problem. */
export function parseToolInput(tool: AgentTool, raw: unknown): Record<string, unknown> {
  const r = tool.input.safeParse(raw ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const problems = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);
  throw new Error(`Invalid input for ${tool.name}: ${problems.join('; ')}.`);
}

/** The input schemas as JSON Schema (the editor's package.json declares the same ones). */
export function inputJsonSchema(tool: AgentTool): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
