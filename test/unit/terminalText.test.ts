import * as assert from 'node:assert/strict';
import { colourSequence, controlSafeWriter, escapeControls } from '../../src/core/terminalText';

function capture(): { out: string[]; write(s: string): boolean } {
  const out: string[] = [];
  return { out, write: (s: string) => (out.push(s), true) };
}

describe('terminal text: our colours pass, theirs do not', () => {
  it('a colour we paint reaches the terminal as a real SGR sequence', () => {
    const sink = capture();
    controlSafeWriter(sink).write(`${colourSequence(31)}fail${colourSequence(0)} x\n`);
    assert.equal(sink.out[0], '\u001b[31mfail\u001b[0m x\n');
  });

  it('colour codes, title changes and bare CRs inside a log line are shown escaped', () => {
    const sink = capture();
    controlSafeWriter(sink).write('ERROR \u001b[32mok\u001b[0m \u001b]0;owned\u0007 a\rb\n');
    assert.equal(sink.out[0], 'ERROR \\u001b[32mok\\u001b[0m \\u001b]0;owned\\u0007 a\\u000db\n');
  });

  it('a forged marker without the nonce is not turned into a colour', () => {
    const sink = capture();
    const forged = '\ue000guess[31mred';
    controlSafeWriter(sink).write(forged);
    assert.ok(!sink.out[0].includes('\u001b'), JSON.stringify(sink.out[0]));
    assert.equal(escapeControls('\u202eevil'), '\\u202eevil');
  });
});
