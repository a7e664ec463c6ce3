import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commands } from '../../../src/cli';
import { probeCommand } from '../../../src/cli/probe';
import { checkCommand } from '../../../src/cli/check';
import { tailCommand } from '../../../src/cli/tail';

// dist/cli.js carries the dispatcher and `validate`; probe, check and tail are bundles of their own,
// loaded when one runs (src/cli/lazy.ts). The top-level help lists them from summaries written in
// src/cli.ts: they must be the commands' own.

const DIST = path.resolve(__dirname, '../../../dist');

describe('code-ops CLI: commands loaded on first use', () => {
  it('lists each lazily loaded command with its own summary and help', () => {
    for (const real of [probeCommand, checkCommand, tailCommand]) {
      const listed = commands.find((c) => c.name === real.name);
      assert.ok(listed, `${real.name} is listed`);
      assert.notEqual(listed, real, `${real.name} is a lazy stand-in, not the module itself`);
      assert.equal(listed.summary, real.summary);
      assert.equal(listed.help, real.help);
    }
  });

  it('dist/cli.js holds none of their dependencies, and each has its bundle next to it', () => {
    const cli = fs.readFileSync(path.join(DIST, 'cli.js'), 'utf8');
    // vscode-jsonrpc (probe), tar (check's backup check), the log followers (tail)
    assert.doesNotMatch(cli, /ContentLength|Content-Length: /, 'vscode-jsonrpc is in dist/cli.js');
    assert.doesNotMatch(cli, /TAR_ENTRY|ustar/, 'tar is in dist/cli.js');
    for (const [bundle, marker] of [
      ['cliProbe.js', /Content-Length/],
      ['cliCheck.js', /ustar/],
      ['cliTail.js', /Panic occurred/],
    ] as const) {
      assert.match(fs.readFileSync(path.join(DIST, bundle), 'utf8'), marker, `${bundle} holds its command's code`);
    }
  });

  it('runs a lazily loaded command from the bundles as a real process', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-lazy-'));
    try {
      const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'tail', '--code-home', home, '--lines', '5'], { encoding: 'utf8', timeout: 20_000 });
      if (r.error) throw r.error;
      assert.doesNotMatch(r.stderr, /Cannot find module|does not export/);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      const help = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'probe', '--help'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(help.status, 0, help.stderr);
      assert.equal(help.stdout, `${probeCommand.help}\n`);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
