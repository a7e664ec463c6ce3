// code-home-permissions with exact verdicts: which top-level names hold
// secrets, a CODE_HOME that is a file, secrets that are symlinks or folders
// (never followed or counted), Windows. Written from the survivors of
// `npm run mutation -- --mutate src/core/readiness/checks/home.ts`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSecretFileName, runChecks, type CheckContext } from '../../../../src/core/readiness/checks';
import { skipOnPlatform } from '../../setup/platform';
import { contextFor, makeCodeHome, tempDir } from '../../readiness/helpers';

const one = async (ctx: CheckContext) => (await runChecks(ctx, ['code-home-permissions']))[0];

describe('code-home-permissions: exact verdicts', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('knows which file names hold secrets', () => {
    for (const name of ['auth.json', 'auth_accounts.json', '.env', 'credentials', 'my-secret.txt', 'TOKEN', 'client.pem', 'id.KEY']) assert.equal(isSecretFileName(name), true, name);
    for (const name of ['config.toml', 'auth.json.bak', 'x.auth.json', '.envrc', 'env', 'key.pem.txt', 'keys', 'history.jsonl', 'pemfile']) assert.equal(isSecretFileName(name), false, name);
  });

  it('passes with the secrets it found, or says there are none yet', async function () {
    if (process.platform === 'win32') skipOnPlatform(this, 'POSIX file modes');
    const home = makeCodeHome(tmp.dir, { files: { 'auth.json': '{}', '.env': 'A=1', 'config.toml': '' } });
    const r = await one(contextFor(home));
    assert.deepEqual([r.status, r.detail, r.fix], ['pass', 'CODE_HOME is 0700; .env, auth.json private.', undefined]);
    const empty = makeCodeHome(path.join(tmp.dir, 'e'));
    assert.equal((await one(contextFor(empty))).detail, 'CODE_HOME is 0700; no secret files yet.');
  });

  it('never follows or counts a symlink or a folder with a secret name', async function () {
    if (process.platform === 'win32') skipOnPlatform(this, 'POSIX file modes');
    const home = makeCodeHome(tmp.dir);
    const outside = path.join(tmp.dir, 'outside.json');
    fs.writeFileSync(outside, '{}');
    fs.chmodSync(outside, 0o644);
    fs.symlinkSync(outside, path.join(home, 'auth.json'));
    fs.mkdirSync(path.join(home, 'tokens'), { mode: 0o755 });
    const r = await one(contextFor(home));
    assert.deepEqual([r.status, r.detail], ['pass', 'CODE_HOME is 0700; no secret files yet.']);
  });

  it('lists every problem and the fix tightens exactly those', async function () {
    if (process.platform === 'win32') skipOnPlatform(this, 'POSIX file modes');
    const home = makeCodeHome(tmp.dir, { mode: 0o750, files: { 'auth.json': { text: '{}', mode: 0o640 }, 'a.key': { text: 'k', mode: 0o604 }, 'b.pem': { text: 'k', mode: 0o600 } } });
    const r = await one(contextFor(home));
    assert.equal(r.status, 'fail');
    const problems = r.detail.replace(' (group/world can access them; want 0700 and 0600).', '').split('; ').sort();
    assert.deepEqual(problems, ['CODE_HOME is 0750', 'a.key is 0604', 'auth.json is 0640']);
    assert.ok(r.detail.endsWith(' (group/world can access them; want 0700 and 0600).'));
    assert.equal(r.fix?.label, 'Tighten permissions (0700 folder, 0600 secrets)');
    assert.equal(r.fix?.action.kind, 'permissions');
    if (r.fix?.action.kind !== 'permissions') return;
    assert.deepEqual([...r.fix.action.targets].sort((a, b) => a.path.localeCompare(b.path)), [
      { path: home, mode: 0o700, directory: true },
      { path: path.join(home, 'a.key'), mode: 0o600 },
      { path: path.join(home, 'auth.json'), mode: 0o600 },
    ].sort((a, b) => a.path.localeCompare(b.path)));
  });

  it('fails for a CODE_HOME that is a file, offers to create a missing one, skips on Windows', async () => {
    const file = path.join(tmp.dir, 'home-file');
    fs.writeFileSync(file, '');
    const r = await one(contextFor(file));
    assert.deepEqual([r.status, r.detail, r.fix], ['fail', `CODE_HOME ${file} is not a folder.`, undefined]);
    const missing = path.join(tmp.dir, 'missing');
    const m = await one(contextFor(missing));
    assert.equal(m.fix?.label, 'Create CODE_HOME (0700)');
    const w = await one(contextFor(missing, { platform: 'win32' }));
    assert.deepEqual([w.status, w.detail], ['skip', 'POSIX permissions do not apply on Windows; check the folder ACL by hand.']);
  });
});
