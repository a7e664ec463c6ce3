import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as textmate from 'vscode-textmate';
import { loadGrammar } from '../textmate';
import { defaultHookPanic, hookDebugPanic, tracingPanic } from '../../fixtures/logs/panicShapes';

const root = path.resolve(__dirname, '../../..');
const grammarPath = path.join(root, 'syntaxes', 'code-log.tmLanguage.json');

let grammar: textmate.IGrammar;

/** Every token of a line as [text, innermost scopes joined]. */
function tokenize(line: string): Array<{ text: string; scopes: string[] }> {
  const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
  return tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

/** The scopes of the token holding `text` (the first one whose text equals it). */
function scopesOf(line: string, text: string): string[] {
  const token = tokenize(line).find((t) => t.text === text);
  assert.ok(token, `a token ${JSON.stringify(text)} in ${JSON.stringify(tokenize(line).map((t) => t.text))}`);
  return token.scopes;
}

function assertScope(line: string, text: string, scope: string): void {
  const scopes = scopesOf(line, text);
  assert.ok(
    scopes.some((s) => s.split(' ').includes(scope)),
    `${JSON.stringify(text)} has ${scope}; it has ${scopes.join(', ')}`,
  );
}

describe('code-log TextMate grammar', () => {
  before(async () => {
    grammar = await loadGrammar('text.log.code', grammarPath);
  });

  it('is the grammar package.json contributes for the code-log language', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const contributed = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'code-log');
    assert.equal(contributed.scopeName, JSON.parse(fs.readFileSync(grammarPath, 'utf8')).scopeName);
    assert.ok(fs.existsSync(path.join(root, contributed.path)));
    const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'code-log');
    assert.ok(fs.existsSync(path.join(root, lang.configuration)));
  });

  it('colours the timestamp and gives each level its own scope', () => {
    const scopes = new Map<string, string>();
    for (const [level, scope] of [
      ['TRACE', 'comment.level.trace.code-log'],
      ['DEBUG', 'support.function.level.debug.code-log'],
      [' INFO', 'markup.inserted.level.info.code-log'],
      [' WARN', 'markup.changed.level.warn.code-log'],
      ['ERROR', 'markup.deleted.level.error.code-log'],
    ]) {
      const line = `2025-12-24T13:51:20.921578Z ${level} something happened`;
      assertScope(line, '2025-12-24T13:51:20.921578Z', 'constant.numeric.timestamp.code-log');
      const own = scopesOf(line, level.trim()).at(-1)!;
      assert.equal(own, scope);
      scopes.set(level, own);
    }
    assert.equal(new Set(scopes.values()).size, 5);
  });

  it('marks span context with its name, braces and fields (values with spaces)', () => {
    const line = '2025-12-24T13:51:20.922332Z  WARN run_auto_loop{goal=fix flaky tests derive_goal=false}: Failed to persist token usage: database is locked';
    assertScope(line, 'run_auto_loop', 'entity.name.section.span.code-log');
    assertScope(line, '{', 'punctuation.section.span.begin.code-log');
    assertScope(line, '}', 'punctuation.section.span.end.code-log');
    assertScope(line, 'goal', 'variable.parameter.field.key.code-log');
    assertScope(line, 'fix flaky tests', 'string.unquoted.field.value.code-log');
    assertScope(line, 'derive_goal', 'variable.parameter.field.key.code-log');
    assertScope(line, 'false', 'string.unquoted.field.value.code-log');
    const message = scopesOf(line, ' Failed to persist token usage: database is locked');
    assert.ok(!message.some((s) => s.includes('span')), message.join(', '));
  });

  it('marks key=value fields in the message', () => {
    const line = '2025-12-24T13:51:20.922384Z  INFO run_auto_loop{goal=fix flaky tests derive_goal=false}: close time.busy=54.2µs time.idle=12.1µs';
    assertScope(line, 'time.busy', 'variable.parameter.field.key.code-log');
    assertScope(line, '54.2µs', 'string.unquoted.field.value.code-log');
    assertScope(line, 'time.idle', 'variable.parameter.field.key.code-log');
    assertScope(line, '=', 'keyword.operator.assignment.code-log');
  });

  it('marks the thread name and id of the critical.log format, however wide the padding', () => {
    for (const line of [
      '2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) failed to record rollout items: failed to queue rollout items: channel closed',
      '2025-12-24T13:51:20.922503Z ERROR                 main ThreadId(01) failed to send error message: SendError { .. }',
    ]) {
      assertScope(line, 'ERROR', 'markup.deleted.level.error.code-log');
      assertScope(line, 'main', 'entity.name.function.thread-name.code-log');
      assertScope(line, 'ThreadId', 'support.type.thread-id.code-log');
      assertScope(line, '01', 'constant.numeric.thread-id.code-log');
    }
    // Rust's Debug output with a space before the brace is message text, not a span
    const debug = scopesOf('2025-12-24T13:51:20.922503Z ERROR main ThreadId(01) failed to send error message: SendError { .. }', ' failed to send error message: SendError { .. }');
    assert.ok(!debug.some((s) => s.includes('span')));
  });

  it('marks a whole Panic occurred line as invalid, with its parts still recognisable', () => {
    const line = '2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) Panic occurred: thread main panicked at src/lib.rs:1:1 attempt=3';
    for (const t of tokenize(line)) {
      assert.ok(t.scopes.some((s) => s.split(' ').includes('invalid.illegal.panic.code-log')), `${JSON.stringify(t.text)} is inside the panic line`);
    }
    assertScope(line, 'Panic occurred', 'keyword.other.panic.code-log');
    assertScope(line, '2025-12-24T13:51:20.921652Z', 'constant.numeric.timestamp.code-log');
    assertScope(line, 'ERROR', 'markup.deleted.level.error.code-log');
    assertScope(line, 'attempt', 'variable.parameter.field.key.code-log');
    // the next line is ordinary again
    const next = tokenize('2025-12-24T13:51:21Z  INFO fine');
    assert.ok(next.every((t) => !t.scopes.some((s) => s.includes('invalid'))));
  });

  /** Scopes of each line's tokens when the lines are tokenized in order (multi-line rules carry over). */
  function tokenizeLines(lines: string[]): Array<Array<{ text: string; scopes: string[] }>> {
    let stack = textmate.INITIAL;
    return lines.map((line) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  }
  const inPanic = (tokens: Array<{ scopes: string[] }>) => tokens.every((t) => t.scopes.some((s) => s.split(' ').some((x) => x.startsWith('invalid.illegal.panic'))));
  const outside = (tokens: Array<{ scopes: string[] }>) => tokens.every((t) => !t.scopes.some((s) => s.includes('panic')));

  it('marks each form of panic and the message line after it, up to the next event (fixtures: test/fixtures/logs/panicShapes.ts)', () => {
    const now = Date.parse('2026-12-01T10:05:00Z');
    const lines = [
      ...tracingPanic(now).split('\n').slice(0, 2),
      '2026-12-01T10:05:01.000000Z  INFO after the panic',
      ...defaultHookPanic().split('\n').slice(0, 3),
      'ordinary text after the note',
      hookDebugPanic().trim(),
      '',
      'plain again',
    ];
    const t = tokenizeLines(lines);
    assert.ok(inPanic(t[0]), 'the TUI hook line');
    assert.ok(inPanic(t[1]), 'its message line, which has no timestamp');
    assert.ok(outside(t[2]), 'the next timestamped event is ordinary');
    assert.ok(inPanic(t[3]) && inPanic(t[4]), "the default hook's line and message");
    assert.ok(t[5].every((x) => x.scopes.some((s) => s.includes('comment.line.panic.note'))), 'the note ends it');
    assert.ok(outside(t[6]), 'after the note');
    assert.ok(inPanic(t[7]), 'the server hook line');
    assert.ok(outside(t[9]), 'after a blank line');
    const first = lines[0];
    assertScope(first, 'panic captured', 'keyword.other.panic.code-log');
    assertScope(first, 'thread_name', 'variable.parameter.field.key.code-log');
  });

  it('leaves lines without the log format as plain text', () => {
    const tokens = tokenize('   at some::frame (continuation of a backtrace)');
    assert.deepEqual(tokens.map((t) => t.scopes), [['text.log.code']]);
  });
});
