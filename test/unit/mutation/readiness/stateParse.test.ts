// The sign-off file's parser (src/core/readiness/state.ts), exactly: strict dates, every field's
// type, length and control-character rule with its sentence, the version note, corrupt files with
// the line and column of the JSON error, a BOM, an empty file. Written from the sampled mutation
// run of src/core/readiness.
import * as assert from 'node:assert/strict';
import { isStrictIsoDate, parseStateText, StateFileCorruptError } from '../../../../src/core/readiness/state';

const parse = (o: unknown) => parseStateText(JSON.stringify(o)).state;
const problems = (items: Record<string, unknown>) => parse({ version: 1, items }).problems.map((p) => p.message);

describe('sign-off file parsing, exactly', () => {
  it('strict ISO dates: as toISOString writes them, with optional seconds, fraction and offset; real days only', () => {
    const yes = ['2026-12-02T06:00Z', '2026-12-02T06:00:59Z', '2026-12-02T06:00:00.1Z', '2026-12-02T06:00:00.123456789Z', '2026-12-02T06:00:00+01:00', '2024-02-29T00:00Z', '2026-12-31T23:59:59-12:00'];
    const no = ['2026-12-02', '2026-12-02 06:00Z', '2026-12-02T06:00', '2026-02-29T00:00Z', '2026-13-01T00:00Z', '2026-00-01T00:00Z', '2026-12-00T00:00Z', '2026-12-32T00:00Z', '2026-12-02T24:00Z', '2026-12-02T06:60Z', '2026-12-02T06:00:60Z', '2026-12-02T06:00:00.1234567890Z', 'x2026-12-02T06:00Z', '2026-12-02T06:00Zx'];
    assert.deepEqual(yes.filter((d) => !isStrictIsoDate(d)), []);
    assert.deepEqual(no.filter((d) => isStrictIsoDate(d)), []);
  });

  it('entries: kept whole when valid; each wrong field skipped with its sentence', () => {
    const state = parse({ version: 1, items: { a: { checked: true, by: 'ana', at: '2026-12-02T06:00:00Z', note: 'two\nlines are fine in a note', title: 'T' }, b: { checked: false } } });
    assert.deepEqual([...state.entries], [
      ['a', { checked: true, by: 'ana', at: '2026-12-02T06:00:00Z', note: 'two\nlines are fine in a note', title: 'T' }],
      ['b', { checked: false, by: undefined, at: undefined, note: undefined, title: undefined }],
    ]);
    assert.deepEqual(state.problems, []);
    assert.deepEqual(
      problems({
        n: null,
        arr: [],
        s: 'x',
        c: { checked: 'yes' },
        by: { checked: true, by: 3 },
        long: { checked: true, by: 'x'.repeat(201) },
        at: { checked: true, at: 'x'.repeat(41) },
        title: { checked: true, title: 'x'.repeat(501) },
        note: { checked: true, note: 'x'.repeat(4001) },
        ctl: { checked: true, by: 'a\u0007b' },
        nl: { checked: true, title: 'a\nb' },
        date: { checked: true, at: '2026-12-02' },
        [`${'i'.repeat(130)}`]: null,
      }),
      [
        'entry "n" is not an object',
        'entry "arr" is not an object',
        'entry "s" is not an object',
        'entry "c": "checked" must be true or false',
        'entry "by": "by" must be a string',
        'entry "long": "by" is longer than 200 characters',
        'entry "at": "at" is longer than 40 characters',
        'entry "title": "title" is longer than 500 characters',
        'entry "note": "note" is longer than 4000 characters',
        'entry "ctl": "by" holds a line break or control character',
        'entry "nl": "title" holds a line break or control character',
        'entry "date": "at" is not an ISO 8601 date and time ("2026-12-02")',
        `entry "${'i'.repeat(119)}…" is not an object`,
      ],
    );
    // exactly at the limits is fine
    assert.deepEqual(problems({ ok: { checked: true, by: 'x'.repeat(200), title: 'x'.repeat(500), note: 'x'.repeat(4000) } }), []);
    assert.deepEqual(problems({ ok: { checked: true, by: 'x'.repeat(200) } }), []);
  });

  it('the version, a missing items object, corrupt files with where the JSON broke', () => {
    assert.deepEqual(parse({ version: 2, items: {} }).problems, [{ message: 'version 2 is not 1; entries were read as version 1' }]);
    assert.deepEqual(parse({ items: {} }).problems, []);
    assert.equal(parse({ version: 1 }).entries.size, 0);
    assert.equal(parse([]).corrupt, 'the file is not a JSON object');
    assert.equal(parse(null).corrupt, 'the file is not a JSON object');
    assert.equal(parse({ items: [] }).corrupt, '"items" must be an object keyed by item id');
    assert.equal(parse({ items: 'x' }).corrupt, '"items" must be an object keyed by item id');
    const broken = parseStateText('{\n  "version": 1,\n  "items": {,\n}');
    assert.equal(broken.state.corrupt, 'invalid JSON at line 3, column 13');
    assert.equal(broken.raw, undefined);
    assert.match(parseStateText('{').state.corrupt ?? '', /^invalid JSON/);
    const bom = parseStateText(`\uFEFF${JSON.stringify({ version: 1, items: { a: { checked: true } } })}`);
    assert.equal(bom.state.entries.get('a')?.checked, true);
    const empty = parseStateText('  \n');
    assert.deepEqual([empty.raw, empty.state.entries.size, empty.state.problems], [{ version: 1, items: {} }, 0, []]);
    const e = new StateFileCorruptError('/w/readiness.json', 'invalid JSON at line 1, column 2');
    assert.equal(e.message, '/w/readiness.json could not be read (invalid JSON at line 1, column 2); fix it or move it aside before signing off. Nothing was written.');
  });
});
