import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadChecklistFile, runChecks } from '../../../src/core/readiness/index';
import { contextFor, makeCodeHome, tempDir } from './helpers';

describe('hardening: readiness checklist file and backup glob pointing at the wrong thing', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('checklistFile pointing nowhere: "does not exist", not an errno dump', async () => {
    await assert.rejects(loadChecklistFile(path.join(tmp.dir, 'docs', 'missing.md')), (err: Error) => /missing\.md does not exist$/.test(err.message));
  });

  it('checklistFile pointing at a folder: says it is a folder', async () => {
    await assert.rejects(loadChecklistFile(tmp.dir), /is a folder, not a Markdown file/);
  });

  it('checklistFile pointing at a binary file: not parsed as an empty checklist', async () => {
    const file = path.join(tmp.dir, 'backup.tgz');
    fs.writeFileSync(file, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x2d, 0x20, 0x5b, 0x20, 0x5d]));
    await assert.rejects(loadChecklistFile(file), /backup\.tgz is not a text file \(it holds binary data\)/);
  });

  it('checklistFile that is huge: refused before reading it', async () => {
    const file = path.join(tmp.dir, 'huge.md');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 6 * 1024 * 1024);
    await assert.rejects(loadChecklistFile(file), /huge\.md is 6 MiB, over the 4 MiB limit; not read/);
  });

  it('a real Markdown checklist still loads', async () => {
    const file = path.join(tmp.dir, 'list.md');
    fs.writeFileSync(file, '# Release\n\n## Before\n\n- [ ] Back up CODE_HOME\n- [x] Tag the release\n');
    const { checklist } = await loadChecklistFile(file);
    assert.equal(checklist.sections.length > 0, true);
  });

  it('backupGlob naming a folder: the check says so and how the glob should look', async () => {
    fs.mkdirSync(path.join(tmp.dir, 'backups'));
    fs.writeFileSync(path.join(tmp.dir, 'backups', 'code-home.tgz'), 'x');
    const [r] = await runChecks(contextFor(makeCodeHome(tmp.dir), { settings: { backupGlob: 'backups' } }), ['backup-recent']);
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /^backups is a folder, not a backup archive: set the glob to the archives in it, e\.g\. backups\/\*\.tgz\.$/);
    assert.equal(r.fix?.action.kind, 'openSetting');
  });

  it('backupGlob matching only folders: no archive matches', async () => {
    fs.mkdirSync(path.join(tmp.dir, 'backups', 'day1.tgz'), { recursive: true });
    const [r] = await runChecks(contextFor(makeCodeHome(tmp.dir), { settings: { backupGlob: 'backups/*.tgz' } }), ['backup-recent']);
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /No backup archive \(a file\) matches backups\/\*\.tgz/);
  });
});
