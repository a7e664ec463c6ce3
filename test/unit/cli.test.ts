import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main, commands } from '../../src/cli';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d) => out.push(String(d)));
  stderr.on('data', (d) => err.push(String(d)));
  return { io: { stdout, stderr, env: { CODE_HOME: '/tmp/ch' }, cwd: process.cwd() }, out: () => out.join(''), err: () => err.join('') };
}

describe('code-ops CLI', () => {
  it('lists every subcommand in --help and exits 0', async () => {
    const c = capture();
    assert.equal(await main(['--help'], c.io), 0);
    for (const name of ['validate', 'probe', 'check', 'tail']) assert.match(c.out(), new RegExp(`^  ${name}\\b`, 'm'));
    assert.match(c.out(), /CODE_HOME: \/tmp\/ch \(from CODE_HOME\)/);
  });

  it('prints usage and exits 2 without a command', async () => {
    const c = capture();
    assert.equal(await main([], c.io), 2);
    assert.match(c.out(), /Usage: code-ops <command>/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const c = capture();
    assert.equal(await main(['frobnicate'], c.io), 2);
    assert.match(c.err(), /unknown command 'frobnicate'/);
  });

  for (const command of commands) {
    it(`prints --help for ${command.name}`, async () => {
      const c = capture();
      assert.equal(await main([command.name, '--help'], c.io), 0);
      assert.match(c.out(), new RegExp(`Usage: code-ops ${command.name}`));
    });
  }

  it('runs as a real process from the bundle', function () {
    const cli = path.resolve('dist/cli.js');
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', env: { ...process.env, CODE_HOME: '/tmp/x' } });
    if (r.error) throw r.error;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Commands:/);
  });
});
