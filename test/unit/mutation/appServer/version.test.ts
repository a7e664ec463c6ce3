// `<binary> --version` for preflights (src/core/appServer/version.ts), with real programs: what
// may not be run (inside the workspace, found through a relative PATH entry) and the exact
// sentence; the first non-empty output line, masked; a failing program's own line or its exit;
// no output; a program that never answers is stopped, with its group. Written from the sampled
// mutation run of src/core/appServer, where no test of that folder reached it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readVersionSafely, whyNotRunnable } from '../../../../src/core/appServer/version';

describe('reading a server version safely', () => {
  let dir: string;
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };
  const env = { PATH: '/usr/bin:/bin' };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-version-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a program inside the workspace, and one found through a relative or empty PATH entry', () => {
    const ws = path.join(dir, 'ws');
    fs.mkdirSync(path.join(ws, 'bin'), { recursive: true });
    const inside = path.join(ws, 'bin', 'code-app-server');
    assert.equal(
      whyNotRunnable(inside, env, { workspaceFolders: ['', ws] }),
      `${inside} lies inside the workspace folder; Code Ops does not run a program the workspace provides to read its version.`,
    );
    assert.equal(whyNotRunnable(ws, env, { workspaceFolders: [ws] }), undefined, 'the workspace folder itself is not inside it');
    assert.equal(whyNotRunnable(path.join(dir, 'other'), env, { workspaceFolders: [ws] }), undefined);
    const exe = path.join(dir, 'tool');
    assert.equal(
      whyNotRunnable(exe, { PATH: `/usr/bin${path.delimiter}.` }, { cwd: dir }),
      `${exe} was found through the relative PATH entry '.'; Code Ops does not run it to read its version. Use an absolute PATH entry or set codeOps.appServer.command to its full path.`,
    );
    assert.match(whyNotRunnable(exe, { PATH: `/usr/bin${path.delimiter}` }, { cwd: dir }) ?? '', /relative PATH entry '\(empty\)'/);
    assert.equal(whyNotRunnable(path.join(dir, 'x', 'tool'), { Path: 'x' }, { cwd: dir })?.includes("entry 'x'"), true, 'Windows spells it Path');
    assert.equal(whyNotRunnable(exe, { PATH: dir }, { cwd: dir }), undefined, 'an absolute entry is fine');
  });

  it('the first non-empty line of the output, trimmed and masked', async () => {
    const ok = script('ok', 'echo ""\necho "  code-app-server 0.5.0 token=sk-abcdefghijklmnopqrstuvwx  "\necho second');
    assert.deepEqual(await readVersionSafely(ok, env), { version: 'code-app-server 0.5.0 token=****' });
    const crlf = script('crlf', 'printf "v1.2\\r\\nmore\\r\\n"');
    assert.deepEqual(await readVersionSafely(crlf, env), { version: 'v1.2' });
    const onStderr = script('stderr', 'echo "tool 9" >&2');
    assert.deepEqual(await readVersionSafely(onStderr, env), { version: 'tool 9' });
  });

  it("a failing program: its own line as the error, else its exit; no output at all; a refused one is not run", async () => {
    assert.deepEqual(await readVersionSafely(script('fails', 'echo "unknown flag --version"\nexit 2'), env), { error: 'unknown flag --version' });
    assert.deepEqual(await readVersionSafely(script('silent-fail', 'exit 3'), env), { error: 'exited with 3' });
    assert.deepEqual(await readVersionSafely(script('silent', 'exit 0'), env), { error: 'no output' });
    const marker = path.join(dir, 'ran');
    const refused = await readVersionSafely(script('refused', `touch ${marker}`), { PATH: '.' }, { cwd: dir });
    assert.equal(refused.refused, true);
    assert.match(refused.error ?? '', /relative PATH entry '\.'/);
    assert.equal(fs.existsSync(marker), false, 'a refused program never runs');
    const missing = await readVersionSafely(path.join(dir, 'missing'), env);
    assert.match(missing.error ?? '', /ENOENT/);
  });

  it('a program that never answers is stopped at the deadline, its children with it', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const hang = script('hang', `sleep 30 &\necho $! > ${pidFile}\nwait`);
    const started = Date.now();
    assert.deepEqual(await readVersionSafely(hang, env, { timeoutMs: 300 }), { error: 'no answer within 300 ms; stopped' });
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    // gone, or dead and waiting to be reaped by whichever init adopted it (state Z)
    let state = 'gone';
    try {
      state = fs.readFileSync(`/proc/${child}/stat`, 'utf8').replace(/^.*\)\s+/, '')[0];
    } catch {
      // gone
    }
    assert.ok(state === 'gone' || state === 'Z', `the sleep the program started is still running (state ${state})`);
  });
});
