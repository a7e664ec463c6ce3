import * as fs from 'node:fs';
import * as path from 'node:path';
import { managedConfigPath } from '../core/otel/managedPath';
import { codeHomePaths, resolveCodeHome } from '../core/codeHome';
import type { Dialect } from '../core/otel/api';
import { UsageError, type CliCommand } from './types';
import { flagsForSettings } from './wording';
import { codeHomeFlag, nonEmptyFlag, parseFlags, wholeNumberFlag } from './flags';

type ExportTestModule = typeof import('../core/otel/exportTest');

/** dist/otelTest.js next to the bundled CLI (the extension loads the same file); the sources when run unbundled. */
function loadExportTest(): ExportTestModule {
  const load = require;
  const bundled = path.join(__dirname, 'otelTest.js');
  return (fs.existsSync(bundled) ? load(bundled) : load('../core/otel/exportTest')) as ExportTestModule;
}

const DIALECTS: readonly Dialect[] = ['beacon', 'codex'];

const OPTIONS = {
  'code-home': { type: 'string' },
  config: { type: 'string' },
  'managed-config': { type: 'string' },
  dialect: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export const otelTestCommand: CliCommand = {
  name: 'otel-test',
  options: OPTIONS,
  summary: 'Send one test log record and metric point through the configured OTLP exporter',
  help: `Usage: code-ops otel-test [--code-home DIR] [--config FILE] [--managed-config FILE] [--timeout MS] [--json]

Reads the effective [otel] ($CODE_HOME/config.toml, then the managed layer merged
over it), and sends one OTLP log record and one metric point the way Code's exporter
would: same endpoint (used verbatim), protocol, headers and resource attributes, plus
the attribute code_ops.test = true. Says whether each was accepted, the HTTP or gRPC
status, the latency, and in words what failed. Header values are never printed.
This sends data to your collector.

Options:
  --code-home DIR         Use DIR as CODE_HOME
  --config FILE           Read FILE instead of $CODE_HOME/config.toml (the managed layer still applies)
  --managed-config FILE   The managed layer (default: /etc/code/managed_config.toml on Unix)
  --dialect beacon|codex  Which server's rules validate the config (default: by location)
  --timeout MS            Per request, 100 to 120000 (default 10000)
  --json                  {exporter, endpoint, protocol, ok, status, latencyMs, error, hint, signals: [...]}
  -h, --help              Show this help

Exit status: 0 every signal accepted, 1 one was not (or nothing is exported),
2 usage error or a config Code would refuse.`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      allowPositionals: false,
      options: OPTIONS,
    });
    if (values.dialect !== undefined && !DIALECTS.includes(values.dialect as Dialect)) throw new UsageError(`--dialect must be beacon or codex, not '${values.dialect}'.`);
    const timeoutMs = wholeNumberFlag('timeout', values.timeout, 10_000, 100, 120_000, 'milliseconds');
    const config = nonEmptyFlag('config', values.config, 'a config.toml file');
    nonEmptyFlag('managed-config', values['managed-config'], 'a TOML file');
    const home = resolveCodeHome({ override: codeHomeFlag(values['code-home'], io.cwd), env: io.env, cwd: io.cwd });
    const paths = codeHomePaths(home.path);
    const configFile = config ? path.resolve(io.cwd, config) : paths.configToml;
    if (config && !fs.existsSync(configFile)) throw new UsageError(`--config ${config}: no such file.`);

    // The exporters load only for this command.
    const { loadEffectiveOtel, runOtelTest, resultJson, resultText } = loadExportTest();
    const effective = await loadEffectiveOtel({ configFile, managedFile: managedConfigPath(home.path, { override: values['managed-config'], cwd: io.cwd }), dialect: (values.dialect as Dialect | undefined) ?? 'auto', env: io.env });
    const result = await runOtelTest(effective, { timeoutMs });
    if (values.json) io.stdout.write(`${JSON.stringify(resultJson(result), null, 2)}\n`);
    else io.stdout.write(flagsForSettings(resultText(result)));
    return result.exitCode;
  },
};
