import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { validateConfigText } from '../../src/core/otel';

/**
 * Hostile config.toml inputs against the [otel] engine. Memory is measured in
 * a real child process: the peak resident size (VmHWM in /proc/self/status)
 * after validating, against the resident size before it.
 */
const ROOT = path.join(__dirname, '..', '..');
const MiB = 1024 * 1024;

const CHILD = `
const fs = require('node:fs');
const { validateConfigText } = require(${JSON.stringify(path.join(ROOT, 'src', 'core', 'otel', 'index.ts'))});
const build = ${'$'}BUILD;
const text = build();
validateConfigText('[otel]\\nenvironment = "production"\\n', { dialect: 'beacon' });
global.gc && global.gc();
const hwm = () => Number(/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const before = process.memoryUsage().rss;
const peakBefore = hwm();
const t = performance.now();
const r = validateConfigText(text, { dialect: 'beacon' });
const ms = performance.now() - t;
process.stdout.write(JSON.stringify({ before, peakBefore, peak: hwm(), ms, bytes: text.length, count: r.diagnostics.length, codes: [...new Set(r.diagnostics.map((d) => d.code))], last: r.diagnostics[r.diagnostics.length - 1]?.message }));
`;

interface Measured {
  before: number;
  peakBefore: number;
  peak: number;
  ms: number;
  bytes: number;
  count: number;
  codes: string[];
  last?: string;
}

function measure(build: string): Measured & { grew: number } {
  const script = CHILD.replace('$BUILD', build);
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '--expose-gc', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * MiB, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout) as Measured;
  // growth: the new peak over what the process held before validating (the text itself is already built)
  return { ...m, grew: Math.max(0, m.peak - Math.max(m.before, 0)) };
}

describe('hostile config.toml: bounded memory, clear messages', function () {
  this.timeout(180_000);

  it('300,000 unknown keys in [otel]: capped diagnostics, growth under 256 MiB', function () {
    if (process.platform !== 'linux') this.skip();
    const m = measure(`() => { const l = ['[otel]', 'environment = "production"']; for (let i = 0; i < 300000; i++) l.push('unknown_key_' + i + ' = 1'); return l.join('\\n') + '\\n'; }`);
    console.log(`      300k unknown keys in [otel] (${(m.bytes / MiB).toFixed(1)} MiB): grew ${(m.grew / MiB).toFixed(0)} MiB, ${m.ms.toFixed(0)} ms`);
    assert.equal(m.count, 1001);
    assert.match(m.last ?? '', /^299000 more problems not shown/);
    assert.ok(m.grew < 256 * MiB, `grew ${(m.grew / MiB).toFixed(0)} MiB`);
  });

  it('300,000 keys in another table: growth under 256 MiB', function () {
    if (process.platform !== 'linux') this.skip();
    const m = measure(`() => { const l = ['[otel]', 'environment = "production"', '[other]']; for (let i = 0; i < 300000; i++) l.push('k' + i + ' = "v"'); return l.join('\\n') + '\\n'; }`);
    console.log(`      300k keys in [other] (${(m.bytes / MiB).toFixed(1)} MiB): grew ${(m.grew / MiB).toFixed(0)} MiB, ${m.ms.toFixed(0)} ms`);
    assert.deepEqual(m.codes, []);
    assert.ok(m.grew < 256 * MiB, `grew ${(m.grew / MiB).toFixed(0)} MiB`);
  });

  it('a 4 MiB array inside [otel]: growth under 256 MiB', function () {
    if (process.platform !== 'linux') this.skip();
    const m = measure(`() => '[otel]\\nenvironment = "production"\\nspans = [' + '1,'.repeat(2 * 1024 * 1024 - 40) + '1]\\n'`);
    console.log(`      4 MiB array in [otel]: grew ${(m.grew / MiB).toFixed(0)} MiB, ${m.ms.toFixed(0)} ms`);
    assert.deepEqual(m.codes, ['otel/unknown-key']);
    assert.ok(m.grew < 256 * MiB, `grew ${(m.grew / MiB).toFixed(0)} MiB`);
  });

  it('a string of 200,000 characters is read, not reported as nesting', () => {
    for (const where of ['[otel]\nenvironment', '[tools]\nnote']) {
      const text = `${where} = "${'x'.repeat(200_000)}"\n${where.startsWith('[tools]') ? '[otel]\nenvironment = "production"\n' : ''}`;
      const r = validateConfigText(text, { dialect: 'beacon' });
      assert.equal(r.syntaxError, false, JSON.stringify(r.diagnostics.map((d) => d.message.slice(0, 80))));
      assert.ok(!r.diagnostics.some((d) => /nest/i.test(d.message)));
    }
    const inOtel = validateConfigText(`[otel]\nenvironment = "${'x'.repeat(200_000)}"\n`, { dialect: 'beacon' });
    assert.equal(inOtel.otel.environment?.length, 200_000);
  });

  it('deeply nested arrays and inline tables get a clear message at the level one too deep', () => {
    for (const [open, close] of [['[', ']'], ['{a=', '}']]) {
      const text = `[otel]\nx = ${open.repeat(5000)}${close.repeat(5000)}\n`;
      const r = validateConfigText(text, { dialect: 'beacon' });
      assert.equal(r.diagnostics.length, 1);
      assert.match(r.diagnostics[0].message, /nested 5000 levels deep here; the servers' TOML reader stops at 80/);
      assert.deepEqual(r.diagnostics[0].range.start, { line: 1, character: 4 + 80 * open.length });
    }
  });
});
