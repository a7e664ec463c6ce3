import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveCodeHome, codeHomePaths } from '../../src/core/codeHome';

describe('resolveCodeHome', () => {
  const home = '/home/op';

  it('prefers CODE_HOME over the legacy CODEX_HOME', () => {
    const r = resolveCodeHome({ env: { CODE_HOME: '/srv/code', CODEX_HOME: '/srv/codex' }, homedir: home });
    assert.deepEqual(r, { path: '/srv/code', source: 'CODE_HOME', legacy: false });
  });

  it('falls back to CODEX_HOME and marks it legacy', () => {
    const r = resolveCodeHome({ env: { CODEX_HOME: '/srv/codex' }, homedir: home });
    assert.deepEqual(r, { path: '/srv/codex', source: 'CODEX_HOME', legacy: true });
  });

  it('defaults to ~/.code', () => {
    assert.equal(resolveCodeHome({ env: {}, homedir: home }).path, path.join(home, '.code'));
  });

  it('treats empty and blank values as unset', () => {
    const r = resolveCodeHome({ env: { CODE_HOME: '  ', CODEX_HOME: '' }, homedir: home, override: '' });
    assert.equal(r.source, 'default');
  });

  it('lets an explicit override win, expanding ~ and resolving relative paths', () => {
    assert.equal(resolveCodeHome({ override: '~/alt', env: { CODE_HOME: '/x' }, homedir: home }).path, '/home/op/alt');
    const rel = resolveCodeHome({ override: 'state', env: {}, homedir: home, cwd: '/ws' });
    assert.deepEqual(rel, { path: '/ws/state', source: 'setting', legacy: false });
  });

  it('names the checklist files under CODE_HOME', () => {
    const p = codeHomePaths('/c');
    assert.equal(p.tuiLog, '/c/log/code-tui.log');
    assert.equal(p.criticalLogPrefix, '/c/logs/critical.log');
    assert.equal(p.configToml, '/c/config.toml');
  });
});
