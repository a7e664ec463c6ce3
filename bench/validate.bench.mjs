// config.toml validation: the engine in-process on a 5,000-line file (against
// toml-eslint-parser parsing the same file in one call, the least a validator
// built on it could do), the first validation in a fresh process, and
// `code-ops validate` as a whole process against `taplo lint` on the same file.
// The engine is bundled from src/ on the fly, minified like dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** A realistic large config: the checklist's [otel] plus many profiles and MCP servers, 5,000 lines. */
function bigConfig(lines = 5000) {
  const out = [
    'model = "gpt-5"',
    '',
    '[otel]',
    'environment = "production"',
    'log_user_prompt = false',
    '',
    '[otel.exporter."otlp-grpc"]',
    'endpoint = "https://otlp.example.com:4317"',
    'headers = { x-tenant = "ops" }',
    '',
  ];
  for (let i = 0; out.length < lines; i++) {
    out.push(`[profiles.p${i}]`, `model = "o${i % 5}"`, `approval_policy = "never"`, `sandbox_mode = "workspace-write"`, `tags = ["a", "b", ${i}]`, `env = { RUST_LOG = "info", N = "${i}" }`, '');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Child: load the engine bundle and validate the file once; prints the milliseconds. */
const FIRST_RUN = `
const t0 = performance.now();
const { validateConfigText } = require(process.argv[1]);
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
const r = validateConfigText(text, { dialect: 'beacon' });
if (!r.otel.present) process.exit(3);
process.stdout.write(String(performance.now() - t0));
`;

function timeProcess(cmd, args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  }
  return median(times);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'code-ops-bench-validate-'));
  try {
    const file = join(dir, 'config.toml');
    const text = bigConfig();
    writeFileSync(file, text);
    const rows = [];

    // in-process, through the engine as the bundles carry it
    const engineFile = join(dir, 'engine.cjs');
    await esbuild.build({ entryPoints: [join(root, 'src', 'core', 'otel', 'index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: engineFile, minify: true, logLevel: 'error' });
    const firstRuns = [];
    for (let i = 0; i < 5; i++) {
      const r = spawnSync(process.execPath, ['-e', FIRST_RUN, engineFile, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`first-validation child failed: ${r.stderr}`);
      firstRuns.push(Number(r.stdout));
    }
    const engine = require(engineFile).validateConfigText;
    const { parseTOML } = require('toml-eslint-parser');
    const first = engine(text, { dialect: 'beacon' });
    if (first.diagnostics.some((d) => d.severity === 'error')) throw new Error('bench config should be valid');
    for (let i = 0; i < 5; i++) {
      engine(text, { dialect: 'beacon' });
      parseTOML(text, { tomlVersion: '1.0' });
    }
    // Interleaved in blocks so load from elsewhere on the machine hits both alike.
    const times = [];
    const parserTimes = [];
    for (let block = 0; block < 6; block++) {
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        engine(text, { dialect: i % 2 ? 'codex' : 'beacon' });
        times.push(performance.now() - t);
      }
      for (let i = 0; i < 4; i++) {
        const t = performance.now();
        parseTOML(text, { tomlVersion: '1.0' });
        parserTimes.push(performance.now() - t);
      }
    }
    const inProcess = median(times);
    const parserOnly = median(parserTimes);
    rows.push({
      group: 'config validation',
      metric: `validate 5,000-line config.toml in-process (median of ${times.length})`,
      value: inProcess,
      unit: 'ms',
      baseline: { label: 'toml-eslint-parser alone', value: parserOnly },
      ratio: inProcess / parserOnly,
      target: '< 15 ms',
      pass: inProcess < 15,
    });
    rows.push({ group: 'config validation', metric: `first validation in a fresh process, incl. loading the engine (median of ${firstRuns.length})`, value: median(firstRuns), unit: 'ms' });

    const cli = join(root, 'dist', 'cli.js');
    const taplo = join(root, 'node_modules', '@taplo', 'cli', 'dist', 'cli.js');
    if (existsSync(taplo)) {
      timeProcess(process.execPath, [cli, 'validate', file, '--dialect', 'beacon'], 1);
      timeProcess(process.execPath, [taplo, 'lint', '--no-schema', file], 1);
      const ours = timeProcess(process.execPath, [cli, 'validate', file, '--dialect', 'beacon'], 9);
      const theirs = timeProcess(process.execPath, [taplo, 'lint', '--no-schema', file], 9);
      rows.push({
        group: 'config validation',
        metric: 'code-ops validate, whole process (median of 9)',
        value: ours,
        unit: 'ms',
        baseline: { label: 'taplo lint', value: theirs },
        ratio: ours / theirs,
        target: '<= taplo lint',
        pass: ours <= theirs,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
