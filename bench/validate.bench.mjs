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
const PROCESS_RUNS = FAST ? 16 : 24;
const IN_PROCESS_ROUNDS = FAST ? 24 : 60;
/**
 * `validate` may take this many times Node's own start and exit (the README's Numbers section says why):
 * Node's start is one share, loading the CLI's bundle and the engine another, reading and validating a
 * 5,000-line file (25 times a real config.toml) the third.
 */
const PROCESS_MAX_RATIO = 3;

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

/** Preloaded into both sides of the whole-process row: the process's own CPU time, written on exit. */
const CPU_PROBE = `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, '\\ncpu-us ' + (u.user + u.system) + '\\n'); });\n`;

/** One child: wall time from spawn to exit as seen here, and the CPU time it reported (ms). */
function spawnTimed(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  const m = /cpu-us (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`node ${args.join(' ')} reported no CPU time: ${r.stderr}`);
  return { wall, cpu: Number(m[1]) / 1000 };
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
    // Paired rounds: each round times one engine run and one parse, in alternating order, back to back,
    // so load from elsewhere on the machine hits both alike; the ratio is the median of the rounds' ratios.
    const times = [];
    const parserTimes = [];
    const ratios = [];
    for (let i = 0; i < IN_PROCESS_ROUNDS; i++) {
      const engineRun = () => {
        const t = performance.now();
        engine(text, { dialect: i % 4 < 2 ? 'beacon' : 'codex' });
        return performance.now() - t;
      };
      const parserRun = () => {
        const t = performance.now();
        parseTOML(text, { tomlVersion: '1.0' });
        return performance.now() - t;
      };
      let e;
      let p;
      if (i % 2) {
        e = engineRun();
        p = parserRun();
      } else {
        p = parserRun();
        e = engineRun();
      }
      times.push(e);
      parserTimes.push(p);
      ratios.push(e / p);
    }
    const inProcessRatio = median(ratios);
    rows.push({
      group: 'config validation',
      metric: `validate 5,000-line config.toml in-process (${IN_PROCESS_ROUNDS} paired rounds; ratio: median of the rounds')`,
      value: median(times),
      unit: 'ms',
      baseline: { label: 'toml-eslint-parser alone', value: median(parserTimes) },
      ratio: inProcessRatio,
      target: '<= 1x the parser alone',
      pass: inProcessRatio <= 1,
    });
    rows.push({ group: 'config validation', metric: `first validation in a fresh process, incl. loading the engine (median of ${firstRuns.length})`, value: median(firstRuns), unit: 'ms' });

    // The whole process against the floor, Node starting and exiting: both spawned alike with the same
    // one-line preload that reports the process's CPU time (user + system, all its threads) on exit, in
    // paired rounds whose order alternates (ABBA); each ratio is the median of the rounds' ratios.
    const cli = join(process.env.CODE_OPS_BENCH_DIST ?? join(root, 'dist'), 'cli.js');
    const cpuProbe = join(dir, 'cpu.cjs');
    writeFileSync(cpuProbe, CPU_PROBE);
    const oursArgs = ['--require', cpuProbe, cli, 'validate', file, '--dialect', 'beacon'];
    const floorArgs = ['--require', cpuProbe, '-e', '0'];
    spawnTimed(oursArgs);
    spawnTimed(floorArgs);
    const ours = [];
    const floor = [];
    for (let i = 0; i < PROCESS_RUNS; i++) {
      if (i % 4 === 0 || i % 4 === 3) {
        ours.push(spawnTimed(oursArgs));
        floor.push(spawnTimed(floorArgs));
      } else {
        floor.push(spawnTimed(floorArgs));
        ours.push(spawnTimed(oursArgs));
      }
    }
    const pairedRatio = (key) => median(ours.map((o, i) => o[key] / floor[i][key]));
    const cpuRatio = pairedRatio('cpu');
    const wallRatio = pairedRatio('wall');
    rows.push({
      group: 'config validation',
      metric: `code-ops validate, whole process, CPU time (${PROCESS_RUNS} paired rounds; ratio: median of the rounds')`,
      value: median(ours.map((o) => o.cpu)),
      unit: 'ms',
      baseline: { label: 'node -e 0 (the floor)', value: median(floor.map((f) => f.cpu)) },
      ratio: cpuRatio,
      target: `<= ${PROCESS_MAX_RATIO}x the floor`,
      pass: cpuRatio <= PROCESS_MAX_RATIO,
    });
    rows.push({
      group: 'config validation',
      metric: `code-ops validate, whole process, wall time (the same rounds; includes waiting for a CPU)`,
      value: median(ours.map((o) => o.wall)),
      unit: 'ms',
      baseline: { label: 'node -e 0 (the floor)', value: median(floor.map((f) => f.wall)) },
      ratio: wallRatio,
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
