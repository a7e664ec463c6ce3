import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ReadinessStateStore, StateFileCorruptError } from '../../../src/core/readiness/state';
import { tempDir } from './helpers';

describe('readiness sign-off state file', () => {
  let tmp: { dir: string; cleanup: () => void };
  let file: string;
  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, '.code-ops', 'readiness.json');
  });
  afterEach(() => tmp.cleanup());

  it('round-trips who, when and a note through the file', async () => {
    const store = new ReadinessStateStore(file);
    assert.equal((await store.load()).exists, false);
    const at = new Date('2025-12-24T13:51:20.000Z');
    await store.setChecked('1-pre/ci', true, { by: 'Ada', at, title: 'CI Pipeline' });
    await store.setNote('1-pre/ci', '  run 4411 green  ');
    const again = new ReadinessStateStore(file);
    const loaded = await again.load();
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(again.get('1-pre/ci'), { checked: true, by: 'Ada', at: at.toISOString(), note: 'run 4411 green', title: 'CI Pipeline' });
    await again.setChecked('1-pre/ci', false, { by: 'Bob', at });
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(json.items['1-pre/ci'], { checked: false, note: 'run 4411 green', title: 'CI Pipeline' });
    assert.equal(json.version, 1);
  });

  it('reports a corrupt file, writes nothing to it, and can move it aside', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const broken = '{\n  "version": 1,\n  "items": { "a": { "checked": true }\n';
    fs.writeFileSync(file, broken);
    const store = new ReadinessStateStore(file);
    const loaded = await store.load();
    assert.match(loaded.corrupt ?? '', /invalid JSON/);
    await assert.rejects(store.setChecked('b', true, { by: 'Ada', at: new Date() }), StateFileCorruptError);
    assert.equal(fs.readFileSync(file, 'utf8'), broken);
    const aside = await store.moveAside(new Date('2025-01-02T03:04:05Z'));
    assert.equal(fs.readFileSync(aside, 'utf8'), broken);
    assert.ok(!fs.existsSync(file));
    await store.setChecked('b', true, { by: 'Ada', at: new Date() });
    assert.equal(store.get('b')?.checked, true);
  });

  it('keeps hand-edited entries it cannot read and reports them', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 1, reviewer: 'team-a', items: { good: { checked: true, by: 'Ada', at: '2025-01-01T00:00:00Z' }, bad: { checked: 'yes' }, worse: 7 } }),
    );
    const store = new ReadinessStateStore(file);
    const loaded = await store.load();
    assert.equal(loaded.entries.size, 1);
    assert.deepEqual(
      loaded.problems.map((p) => p.itemId),
      ['bad', 'worse'],
    );
    await store.setChecked('new', true, { by: 'Bob', at: new Date() });
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(json.items.bad, { checked: 'yes' });
    assert.equal(json.items.worse, 7);
    assert.equal(json.reviewer, 'team-a');
    assert.deepEqual(Object.keys(json.items), ['bad', 'good', 'new', 'worse']);
  });

  it('treats a wrongly shaped file as corrupt', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '[1,2,3]');
    assert.match((await new ReadinessStateStore(file).load()).corrupt ?? '', /not a JSON object/);
    fs.writeFileSync(file, '{"items": []}');
    assert.match((await new ReadinessStateStore(file).load()).corrupt ?? '', /"items" must be an object/);
  });

  it('keeps changes written by someone else between load and save', async () => {
    const mine = new ReadinessStateStore(file);
    await mine.load();
    const theirs = new ReadinessStateStore(file);
    await theirs.setChecked('theirs', true, { by: 'Bob', at: new Date() });
    await mine.setChecked('mine', true, { by: 'Ada', at: new Date() });
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(json.items), ['mine', 'theirs']);
  });
});
