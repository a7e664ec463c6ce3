// The readiness report and the incident and resolution posts, whole texts: sections with their
// progress, items ticked, signed off (by whom, when, with a note) or not, check lines run and not
// run, an automatic item, a sub-section, the sign-off file and its problems, one-line fields (a
// forged line break cannot add a report line), masking; the posts' time from the panic, CRITICAL
// when it is one, the server line, the duration since the trouble started. Written from the
// survivors of `npm run mutation -- --per-folder --sample 10` (readiness); it found one fault,
// fixed: a secret at the end of the last panic line took the closing backtick of its code span.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseChecklist } from '../../../../src/core/readiness/markdown';
import { findItem, type CheckId, type CheckResult } from '../../../../src/core/readiness/model';
import { incidentPost, resolutionPost } from '../../../../src/core/readiness/posts';
import { renderReport } from '../../../../src/core/readiness/report';
import type { SignOff } from '../../../../src/core/readiness/state';
import type { ServerSnapshot } from '../../../../src/core/appServer/types';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/readiness');
const NOW = new Date('2026-12-02T07:00:30Z');
const SECRET = 'sk-abcdefghijklmnopqrstuvwxyz';

function checklist() {
  const list = parseChecklist(fs.readFileSync(path.join(FIXTURES, 'parser-whole.md'), 'utf8'), 'test.md');
  findItem(list, '1-install/install-the-binary-with-a-very-long-explanation-that')!.checks = ['config-valid', 'logs-present'];
  findItem(list, '2-reading-only/overview')!.checks = ['no-panics'];
  return list;
}

const result = (id: CheckId, status: CheckResult['status'], detail: string) => ({ id, status, detail, at: 0 }) as unknown as CheckResult;

describe('readiness report and posts, whole', () => {
  it('the report with results, sign-offs, notes and a problem in the sign-off file', () => {
    const signs: Record<string, SignOff> = {
      '1-install/done-item-code-doctor-all': { checked: true, by: 'ana\nforged line', at: '2026-12-01T09:30:00Z', note: 'ran it\ttwice' },
      '1-install/done-item-code-doctor-all/nested-child': { checked: true },
      '2-1-sub/sub-task': { checked: false, note: 'waiting for ops' },
    };
    const text = renderReport({
      checklist: checklist(),
      results: new Map<CheckId, CheckResult>([
        ['config-valid' as CheckId, result('config-valid' as CheckId, 'fail', `config.toml line 3:\n[otel has no ]\u0007 token=${SECRET}`)],
        ['no-panics' as CheckId, result('no-panics' as CheckId, 'pass', 'No panics in the last 24 h.')],
      ]),
      signOff: (id) => signs[id],
      isChecked: (i) => !!signs[i.id]?.checked,
      now: NOW,
      codeHome: '/srv/code',
      serverVersion: 'code-app-server 0.5.0',
      serverState: 'healthy (pid 42)',
      target: 'production',
      stateFile: '/w/.code-ops/readiness.json',
      stateProblems: [{ itemId: 'x', message: 'entry x:\n"by" is not text' }],
    });
    assert.equal(text, "# Production readiness report\n\n- **Date**: 2026-12-02 07:00 UTC\n- **CODE_HOME**: `/srv/code`\n- **Server**: code-app-server 0.5.0 — healthy (pid 42)\n- **Target**: production\n- **Checklist**: Ops checklist (test.md)\n- **Sign-off**: 2/4 items\n- **Automatic checks**: 1 pass, 1 fail, 0 warn, 0 skip\n- **Sign-off file**: `/w/.code-ops/readiness.json`\n\n## 1. Install (2/3)\n\n- [ ] **Install the binary with a very long explanation that…** — not signed off\n  - `config-valid` **fail**: config.toml line 3: [otel has no ] token=****\n  - `logs-present` not run: code-tui.log and critical.log.* exist\n- [x] **Done item code doctor --all** — signed off by ana forged line, 2026-12-01 09:30 UTC. Note: ran it twice\n  - [x] **Nested child** — ticked\n\n## 2. Reading only (0/1)\n\n- **2. Reading only** (automatic)\n  - `no-panics` **pass**: No panics in the last 24 h.\n\n### 2.1 Sub (0/1)\n\n- [ ] **Sub task** — not signed off. Note: waiting for ops\n\n## Sign-off file problems\n\n- entry x: \"by\" is not text\n");
  });

  it('the report with nothing run, nothing signed, no server facts and an unreadable sign-off file', () => {
    const text = renderReport({ checklist: checklist(), results: new Map(), signOff: () => undefined, isChecked: () => false, now: NOW, codeHome: '/h', target: 'staging', corruptState: 'Unexpected token } in JSON' });
    assert.equal(text, "# Production readiness report\n\n- **Date**: 2026-12-02 07:00 UTC\n- **CODE_HOME**: `/h`\n- **Server**: version unknown\n- **Target**: staging\n- **Checklist**: Ops checklist (test.md)\n- **Sign-off**: 0/4 items\n- **Automatic checks**: 0 pass, 0 fail, 0 warn, 0 skip\n\n## 1. Install (0/3)\n\n- [ ] **Install the binary with a very long explanation that…** — not signed off\n  - `config-valid` not run: config.toml parses and its [otel] section is valid\n  - `logs-present` not run: code-tui.log and critical.log.* exist\n- [ ] **Done item code doctor --all** — not signed off\n  - [ ] **Nested child** — not signed off\n\n## 2. Reading only (0/1)\n\n- **2. Reading only** (automatic)\n  - `no-panics` not run: No \"Panic occurred\" in stderr or the last 24 h of logs\n\n### 2.1 Sub (0/1)\n\n- [ ] **Sub task** — not signed off\n\n## Sign-off file problems\n\n- The sign-off file could not be read: Unexpected token } in JSON. Sign-offs above may be missing.\n");
  });

  it('incident post: the time of the panic, CRITICAL, the server line, the panic line masked in one code span', () => {
    const server = { state: 'crash-loop', reason: 'exited 3 times', pid: 42, restartsInWindow: 4 } as unknown as ServerSnapshot;
    const post = incidentPost([], { now: NOW, server, lastPanicLine: `panicked at \`a.rs\`:1:2\r\nboom token=${SECRET}`, panicAt: new Date('2026-12-01T23:59:10Z'), codeHome: '/srv/code' });
    assert.equal(post, "INCIDENT: CRITICAL - [Brief Description]\n- Time: 2026-12-01 23:59 UTC\n- Impact: [% users affected / services down]\n- Status: Investigating\n- Owner: @engineer-name\n- Dashboard: [link]\n- App server: crash-loop, pid 42, 4 restarts in 10 min — exited 3 times\n- Last panic (2026-12-01 23:59 UTC): `panicked at 'a.rs':1:2  boom token=****`\n- CODE_HOME: /srv/code");
  });

  it('incident post without a panic: the time of copying, the severity left to choose', () => {
    const server = { state: 'healthy', reason: 'ok', restartsInWindow: 1 } as unknown as ServerSnapshot;
    assert.equal(incidentPost([], { now: NOW, server }), "INCIDENT: [CRITICAL/WARNING] - [Brief Description]\n- Time: 2026-12-02 07:00 UTC\n- Impact: [% users affected / services down]\n- Status: Investigating\n- Owner: @engineer-name\n- Dashboard: [link]\n- App server: healthy, 1 restart in 10 min — ok");
    assert.equal(incidentPost([{ kind: 'incident', text: 'INC [CRITICAL/WARNING] at [HH:MM UTC]', title: 't' } as never], { now: NOW }), 'INC [CRITICAL/WARNING] at 2026-12-02 07:00 UTC');
    // more than three restarts is critical even without a panic
    assert.match(incidentPost([], { now: NOW, server: { state: 'healthy', reason: 'ok', restartsInWindow: 4 } as unknown as ServerSnapshot }), /^INCIDENT: CRITICAL - /);
  });

  it('resolution post: the duration since the trouble started, at least a minute; a start in the future is left to fill', () => {
    assert.equal(resolutionPost([], { now: NOW, since: new Date('2026-12-02T06:59:50Z'), codeHome: '/h' }), "RESOLVED: [Brief Description]\n- Duration: 1 minute (since 06:59 UTC)\n- Root Cause: [1-2 sentences]\n- Resolution: [Action taken]\n- Follow-up: [Ticket link for post-mortem]\n- CODE_HOME: /h");
    assert.equal(resolutionPost([], { now: NOW, since: new Date('2026-12-02T06:15:00Z') }), "RESOLVED: [Brief Description]\n- Duration: 46 minutes (since 06:15 UTC)\n- Root Cause: [1-2 sentences]\n- Resolution: [Action taken]\n- Follow-up: [Ticket link for post-mortem]");
    assert.equal(resolutionPost([], { now: NOW, since: new Date('2026-12-02T08:00:00Z') }), "RESOLVED: [Brief Description]\n- Duration: [X minutes]\n- Root Cause: [1-2 sentences]\n- Resolution: [Action taken]\n- Follow-up: [Ticket link for post-mortem]");
  });
});
