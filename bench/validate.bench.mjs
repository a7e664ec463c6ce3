// config.toml validation: the engine in-process on a 5,000-line file, and
// `code-ops validate` as a whole process against `taplo lint` on the same file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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

    // in-process, through the production CLI bundle's engine (the same code the server runs)
    const { validateConfigText } = require(join(root, 'dist', 'cli.js'));
    let engine = validateConfigText;
    if (typeof engine !== 'function') {
      // the CLI bundle exports only main(); load the engine from source through tsx
      const tsx = require('tsx/cjs/api');
      engine = tsx.require(join(root, 'src', 'core', 'otel', 'index.ts'), import.meta.url).validateConfigText;
    }
    const first = engine(text, { dialect: 'beacon' });
    if (first.diagnostics.some((d) => d.severity === 'error')) throw new Error('bench config should be valid');
    for (let i = 0; i < 5; i++) engine(text, { dialect: 'beacon' });
    const times = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      engine(text, { dialect: i % 2 ? 'codex' : 'beacon' });
      times.push(performance.now() - t);
    }
    const inProcess = median(times);
    rows.push({ group: 'config validation', metric: 'validate 5,000-line config.toml in-process (median of 30)', value: inProcess, unit: 'ms', target: '< 15 ms', pass: inProcess < 15 });

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
