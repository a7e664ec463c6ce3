// backup-recent (src/core/readiness/checks/backup.ts) with real archives made by tar: recent and
// complete, old, missing parts, the newer checklist's files required only when CODE_HOME has
// them, the newest of several chosen by time, a folder given instead of a glob, nothing matching,
// no glob set, an archive that cannot be read; unsafe entries and a listing that ran out of time
// through a replaced listing. Then the entry-name rules exactly. Written from the survivors of a
// full mutation run of src/core/readiness/checks.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecks } from '../../../../src/core/readiness/checks';
import { backupCoverage, unsafeEntryName } from '../../../../src/core/readiness/checks/backup';
import type { CheckContext } from '../../../../src/core/readiness/checks';
import type { CheckId } from '../../../../src/core/readiness/model';
import { contextFor, makeCodeHome, tempDir } from '../../readiness/helpers';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-12-02T06:00:00Z');
const ID = ['backup-recent' as CheckId];
const SET = { label: 'Set codeOps.readiness.backupGlob', action: { kind: 'openSetting', setting: 'codeOps.readiness.backupGlob' } };

describe('backup-recent with real archives', () => {
  let tmp: ReturnType<typeof tempDir>;
  let home: string;
  let backups: string;
  beforeEach(() => {
    tmp = tempDir();
    home = makeCodeHome(tmp.dir, { files: { 'auth.json': '{}', 'sessions/s1.jsonl': '{}', 'log/code-tui.log': '', 'logs/critical.log.2026-12-01': '' } });
    backups = path.join(tmp.dir, 'backups');
    fs.mkdirSync(backups);
  });
  afterEach(() => tmp.cleanup());

  /** A .tgz of these parts of CODE_HOME (under a leading folder, as `tar -C parent code-home/...` writes them), `ageDays` old. */
  function archive(name: string, parts: string[], ageDays: number): string {
    const file = path.join(backups, name);
    execFileSync('tar', ['-czf', file, '-C', path.dirname(home), ...parts.map((p) => `code-home/${p}`)]);
    const t = new Date(NOW - ageDays * DAY);
    fs.utimesSync(file, t, t);
    return file;
  }

  async function verdict(over: Partial<CheckContext> = {}, glob = path.join(backups, '*.tgz'), maxAge = 1) {
    const ctx = contextFor(home, { now: () => NOW, settings: { backupGlob: glob, backupMaxAgeDays: maxAge }, ...over });
    const [r] = await runChecks(ctx, ID);
    return JSON.parse(JSON.stringify({ status: r.status, detail: r.detail.replaceAll(tmp.dir, '<TMP>'), fix: r.fix })) as unknown;
  }

  it('recent and complete: pass, naming the age in hours and what it holds', async () => {
    archive('b1.tgz', ['auth.json', 'sessions', 'log', 'logs'], 0.25);
    assert.deepEqual(await verdict(), { status: 'pass', detail: 'Newest backup b1.tgz is 6 h old and holds auth.json, sessions/, log/, logs/.' });
  });

  it('the newest by time is judged; older than the limit fails with its age in days and what it lacks', async () => {
    archive('new.tgz', ['auth.json', 'sessions'], 2.5);
    archive('old.tgz', ['auth.json', 'sessions', 'log', 'logs'], 9);
    assert.deepEqual(await verdict(), { status: 'fail', detail: 'Newest backup new.tgz is 2.5 days old (max 1 days); it lacks log/, logs/.' });
    assert.deepEqual(await verdict({}, path.join(backups, '*.tgz'), 3), { status: 'fail', detail: 'Newest backup new.tgz (2.5 days old) lacks log/, logs/.' });
    archive('newest.tgz', ['auth.json', 'sessions', 'log', 'logs'], 1.5);
    assert.deepEqual(await verdict(), { status: 'fail', detail: 'Newest backup newest.tgz is 1.5 days old (max 1 days).' });
  });

  it("the newer checklist's files are required when CODE_HOME has them", async () => {
    archive('b.tgz', ['auth.json', 'sessions', 'log', 'logs'], 0.1);
    fs.writeFileSync(path.join(home, 'history.jsonl'), '');
    assert.deepEqual(await verdict(), { status: 'fail', detail: 'Newest backup b.tgz (2 h old) lacks history.jsonl.' });
    archive('c.tgz', ['auth.json', 'sessions', 'log', 'logs', 'history.jsonl'], 0.05);
    fs.mkdirSync(path.join(home, 'auth_accounts.json'));
    assert.deepEqual(await verdict(), { status: 'pass', detail: 'Newest backup c.tgz is 1 h old and holds auth.json, sessions/, log/, logs/, history.jsonl.' }, 'a folder named auth_accounts.json is not the file');
  });

  it('no glob, a folder instead of a glob, nothing matching, an unreadable archive', async () => {
    assert.deepEqual(await verdict({}, '   '), { status: 'skip', detail: 'Set codeOps.readiness.backupGlob to check backups of CODE_HOME.', fix: SET });
    assert.deepEqual(await verdict({}, backups), { status: 'fail', detail: `<TMP>/backups is a folder, not a backup archive: set the glob to the archives in it, e.g. <TMP>/backups/*.tgz.`, fix: SET });
    assert.deepEqual(await verdict({ homedir: tmp.dir }, '~/backups'), { status: 'fail', detail: '~/backups is a folder, not a backup archive: set the glob to the archives in it, e.g. ~/backups/*.tgz.', fix: SET });
    assert.deepEqual(await verdict(), { status: 'fail', detail: 'No backup archive (a file) matches <TMP>/backups/*.tgz.', fix: SET });
    fs.mkdirSync(path.join(backups, 'dir.tgz'));
    assert.deepEqual(await verdict(), { status: 'fail', detail: 'No backup archive (a file) matches <TMP>/backups/*.tgz.', fix: SET });
    fs.writeFileSync(path.join(backups, 'broken.tgz'), 'not gzip at all');
    const broken = (await verdict()) as { status: string; detail: string };
    assert.equal(broken.status, 'fail');
    assert.match(broken.detail, /^broken\.tgz: /);
  });

  it('unsafe entries fail the check wherever they are; a listing cut short says how far it got', async () => {
    archive('b.tgz', ['auth.json'], 0.1);
    const listing = (names: string[], timedOut = false) => ({ deps: { ...contextFor(home).deps, listArchiveEntries: async () => ({ names, timedOut }) } });
    assert.deepEqual(await verdict(listing(['code-home/auth.json', '../etc/passwd'])), {
      status: 'fail',
      detail: 'b.tgz has 1 entry that would restore outside CODE_HOME (absolute or with ..), e.g. "../etc/passwd".',
    });
    assert.deepEqual(await verdict(listing(['/abs', 'C:/x', 'ok/auth.json'])), {
      status: 'fail',
      detail: 'b.tgz has 2 entries that would restore outside CODE_HOME (absolute or with ..), e.g. "/abs".',
    });
    assert.deepEqual(await verdict(listing(['code-home/auth.json', 'code-home/sessions/a'], true)), { status: 'fail', detail: 'b.tgz: listing did not finish in time; the first 2 entries lack log/, logs/.' });
    assert.deepEqual(await verdict(listing(['auth.json', 'sessions/', 'log/', 'logs/'], true)), { status: 'pass', detail: 'Newest backup b.tgz is 2 h old and holds auth.json, sessions/, log/, logs/.' });
  });
});

describe('archive entry names', () => {
  it('unsafe: absolute (either slash), a drive letter, any .. segment; not names that merely contain dots', () => {
    assert.deepEqual(['/etc/x', '\\etc\\x', 'C:/x', 'c:\\x', '../x', 'a/../../x', 'a\\..\\x'].filter((n) => !unsafeEntryName(n)), []);
    assert.deepEqual(['a/b', './a', 'a..b/c', '...', 'C:x', 'x/C:/y'].filter((n) => unsafeEntryName(n)), []);
  });

  it('coverage: segment-aligned, under any leading folder, ./ prefixes ignored, unsafe names not counted', () => {
    assert.deepEqual(backupCoverage(['./././code-home/auth.json', 'x/sessions/1', 'log/a', 'logs/']), { present: ['auth.json', 'sessions/', 'log/', 'logs/'], missing: [] });
    assert.deepEqual(backupCoverage(['/log/a', 'C:/logs/b']).present, [], 'absolute names are unsafe, so they hold nothing');
    assert.deepEqual(backupCoverage(['notauth.json', 'mysessions/x', 'catalog/x', 'a/blogs/x']), { present: [], missing: ['auth.json', 'sessions/', 'log/', 'logs/'] });
    assert.deepEqual(backupCoverage(['../auth.json', 'auth.json.bak']), { present: [], missing: ['auth.json', 'sessions/', 'log/', 'logs/'] });
    assert.deepEqual(backupCoverage(['auth.json', 'h/history.jsonl'], ['history.jsonl', 'auth_accounts.json']), { present: ['auth.json', 'history.jsonl'], missing: ['sessions/', 'log/', 'logs/', 'auth_accounts.json'] });
  });
});
