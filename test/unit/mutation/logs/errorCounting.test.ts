// Which lines count as ERROR lines in the fast byte scan (src/core/logs/alerts.ts): the level field
// only (after the timestamp's Z and one or two spaces, as tracing right-aligns it), never the word
// elsewhere; counts per chunk and in total; the burst rule's limits floored at one. Line shapes from
// Code's tracing output (test/fixtures/logs). Written from the sampled mutation run of src/core/logs.
import * as assert from 'node:assert/strict';
import { AlertScanner, defaultAlertRules, type LineChunk } from '../../../../src/core/logs';

const chunk = (text: string): LineChunk => ({ file: '/x/code-tui.log', offset: 0, bytes: Buffer.from(text), history: false });
const Z = '2025-12-24T13:51:20.921652Z';

describe('ERROR lines in the byte scan', () => {
  it('counts the level field only', () => {
    const scanner = new AlertScanner(defaultAlertRules(), { sinceMs: 0 });
    const text = [
      `${Z} ERROR main ThreadId(01) failed`, // counts
      `${Z}  WARN ERROR in the message`, // a WARN line
      'ERROR at the start of a line', // no timestamp
      `${Z} INFO fooERROR bar`, // not a word on its own
      `${Z}ERROR no space after Z`,
      `${Z}   ERROR three spaces`, // more than tracing's alignment
      `${Z} ERROR`, // the level word must be followed by a space
      `${Z}  ERROR two spaces`, // counts: tracing right-aligns the level to five columns
      `${Z} ERROR second`, // counts
      '',
    ].join('\n');
    const { counts } = scanner.scan('code-tui', chunk(text));
    assert.equal(counts.errors, 3);
    assert.equal(scanner.totals.errors, 3);
    scanner.scan('code-tui', chunk(`${Z} ERROR third\n`));
    assert.equal(scanner.totals.errors, 4, 'totals add up across chunks');
  });

  it('the default rules, and the burst limits floored at one', () => {
    const rules = defaultAlertRules();
    assert.deepEqual(rules, [
      { id: 'panic', kind: 'panic', severity: 'critical', title: 'Code panicked' },
      { id: 'errors', kind: 'count', level: 'ERROR' },
      { id: 'error-burst', kind: 'burst', level: 'ERROR', count: 10, windowSeconds: 60, severity: 'warning', title: 'Burst of errors' },
    ]);
    const floored = defaultAlertRules({ count: 0.5, windowSeconds: 0 }).find((r) => r.kind === 'burst');
    assert.deepEqual(floored && { count: floored.count, windowSeconds: floored.windowSeconds }, { count: 1, windowSeconds: 1 });
    assert.equal((defaultAlertRules({ count: 7.9, windowSeconds: 30 }).find((r) => r.kind === 'burst') as { count: number }).count, 7);
  });
});
