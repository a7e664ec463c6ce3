// config.toml validation: the engine in-process on a realistic 5,000-line file
// (against toml-eslint-parser parsing the same file in one call, the least a
// validator built on it could do, timed the same way), the first validation in
// a fresh process, and `code-ops validate` as a whole process against the floor
// of any Node CLI, `node -e 0`, both spawned and timed the same way.
// The engine is bundled from src/ on the fly, minified like dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * A realistic large config, 5,000 lines: the checklist's [otel], then profiles
 * with comments, dates, multi-line strings, arrays and inline tables, and
 * arrays of tables, the shapes real configs mix (and the quick plain-table
 * reader leaves to the full parser).
 */
export function bigConfig(lines = 5000) {
  const out = [
    '# Code configuration for the build farm (generated for the benchmark)',
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
  for (let i = 0; ; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const block = [
      `# profile ${i}: owned by team ${i % 7}`,
      `[profiles.p${i}]`,
      `model = "o${i % 5}" # the model this profile pins`,
      'approval_policy = "never"',
      'sandbox_mode = "workspace-write"',
      `reviewed = 2025-11-${day}T09:30:00Z`,
      `valid_until = 2026-01-${day}`,
      `tags = ["a", "b", ${i}, 1.5e3]`,
      `env = { RUST_LOG = "info", N = "${i}" }`,
      'instructions = """',
      'Work in small steps; run the tests after each change.',
      `Profile ${i}: \\u00e9t\\u00e9 notes.`,
      '"""',
      `literal = '''C:\\temp\\p${i}'''`,
      '',
      `[[profiles.p${i}.hooks]]`,
      `name = "pre-${i}"`,
      `command = ["sh", "-c", "echo ${i}"]`,
      '',
      `[[profiles.p${i}.hooks]]`,
      `name = "post-${i}"`,
      `timeout = ${i % 60}`,
      '',
    ];
    // whole blocks only: a cut could end inside a multi-line string
    if (out.length + block.length > lines) break;
    out.push(...block);
  }
  while (out.length < lines) out.push('# (end of profiles)');
  return out.join('\n') + '\n';
}

const FAST = process.env.CODE_OPS_BENCH_FAST === '1';
const PROCESS_RUNS = FAST ? 5 : 11;
/** `validate` may take this many times Node's own start and exit: loading the bundle, reading and validating 5,000 lines. */
const PROCESS_MAX_RATIO = 4;

/** Part of `npm run bench:ci` (run.mjs --fast): ratio rows in a few seconds. */
export const fast = true;

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
    for (let block = 0; block < (FAST ? 3 : 6); block++) {
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
      target: '<= 1x the parser alone',
      pass: inProcess <= parserOnly,
    });
    rows.push({ group: 'config validation', metric: `first validation in a fresh process, incl. loading the engine (median of ${firstRuns.length})`, value: median(firstRuns), unit: 'ms' });

    // The whole process against the floor, Node starting and exiting: spawned and timed alike, interleaved.
    const cli = join(process.env.CODE_OPS_BENCH_DIST ?? join(root, 'dist'), 'cli.js');
    const validateArgs = [cli, 'validate', file, '--dialect', 'beacon'];
    timeProcess(process.execPath, validateArgs, 1);
    timeProcess(process.execPath, ['-e', '0'], 1);
    const ours = [];
    const floor = [];
    for (let i = 0; i < PROCESS_RUNS; i++) {
      ours.push(timeProcess(process.execPath, validateArgs, 1));
      floor.push(timeProcess(process.execPath, ['-e', '0'], 1));
    }
    rows.push({
      group: 'config validation',
      metric: `code-ops validate, whole process (median of ${PROCESS_RUNS})`,
      value: median(ours),
      unit: 'ms',
      baseline: { label: 'node -e 0 (the floor)', value: median(floor) },
      ratio: median(ours) / median(floor),
      target: `<= ${PROCESS_MAX_RATIO}x the floor`,
      pass: median(ours) / median(floor) <= PROCESS_MAX_RATIO,
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
