// Extension activation time in the real VS Code host, as VS Code itself records it.
//
// code-server (VS Code 1.139, Node extension host) opens the workbench in headless
// Chromium with two development extensions: a copy of this extension as it ships
// (with bench/run.mjs's private production build; run alone, with dist/) and, as the baseline
// measured in the same run, a minimal extension (it loads the vscode API and registers one
// command) that activates on the same event.
// Each round reads the "Developer: Show Running Extensions" editor, whose number
// is the extension host's own `codeLoadingTime + activateCallTime` (require of
// the main module plus the synchronous activate call), then reloads the window:
// a reload starts a fresh extension host, so every round is a real activation in
// a new process. Round 1 is the cold start (the first activation after the install:
// V8 compiles our bundles from scratch); the rest are reported as the median warm
// activation, where our entry point (dist/main.js) loads the activation bundle from
// the code cache the first host wrote (src/core/codeCache.ts; each host reports
// whether it did).
//
// VS Code's numbers include waiting on whatever else the extension host does at
// start-up (built-in extensions activate at the same moment). So in the first
// host, once start-up is quiet, a small script run as the host's extension tests
// also times our own cost alone: for N rounds it calls the module's deactivate()
// and times require() + activate() of the files activation loads, placed in a new
// folder of the extension each round (a new name: V8 has compiled nothing of them in
// this process), with an ExtensionContext built from the real extension (real vscode
// API registrations: commands, views, status bar, watchers), and the same for the
// minimal extension; once as new files with empty storage (compiled from scratch, as
// in the first host after an install), once as hard links to the same files after a
// first round wrote our code cache (as in every later host).
// And every host reports VS Code's own performance marks around the require of the
// main module, which leave out the wait that the Running Extensions number counts
// before the require (other extensions starting at the same moment run there).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resultsDir } from '../test/host/paths.mjs';
import { benchDist, copyExtension } from './extensionCopy.mjs';
import { isProvisioned, provisionCodeServer } from '../test/host/provision.mjs';
import { launchChromium, remoteUri, startCodeServer, workbenchUrl } from '../test/host/codeServer.mjs';
import { CALM_WORKBENCH_SETTINGS } from '../test/host/sample.mjs';
import { runPaletteCommand } from '../test/ui/workbench.mjs';

const ROUNDS = Number(process.env.CODE_OPS_BENCH_ACTIVATIONS ?? 8);
/** VS Code's own activation number may exceed the one-command extension's, measured in the same hosts, by this much. */
const WITHIN_MS = 5;
const OURS = 'code-ops.code-ops';
const BASELINE = 'code-ops-bench.bench-minimal';
const IN_HOST_ROUNDS = Number(process.env.CODE_OPS_BENCH_IN_HOST_ROUNDS ?? 10);
const ROUND_TIMEOUT_MS = Number(process.env.CODE_OPS_BENCH_ROUND_TIMEOUT_MS ?? 45_000);

/** "hit 10" or "miss 9, hit 1": the code cache outcomes of the in-host rounds. */
const summarize = (outcomes) => {
  const counts = new Map();
  for (const o of outcomes ?? []) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${k} ${v}`).join(', ');
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The baseline: a minimal extension activated by the same event as ours. */
function writeMinimalExtension(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'bench-minimal',
      displayName: BASELINE,
      publisher: 'code-ops-bench',
      version: '0.0.1',
      engines: { vscode: '^1.91.0' },
      extensionKind: ['workspace'],
      activationEvents: ['onStartupFinished'],
      main: './extension.js',
    }),
  );
  // It loads the vscode API (which the host builds per extension on first require) and registers one
  // command: the least any real extension pays, so the difference is what our code costs.
  writeFileSync(
    join(dir, 'extension.js'),
    [
      "const vscode = require('vscode');",
      'let command;',
      'exports.activate = function activate(context) {',
      "  command = vscode.commands.registerCommand('codeOpsBench.noop', () => undefined);",
      '  context.subscriptions.push(command);',
      '};',
      // like ours, it lets go of what it registered when deactivated (the in-host rounds rely on that)
      'exports.deactivate = function deactivate() {',
      '  command?.dispose();',
      '};',
      '',
    ].join('\n'),
  );
}

/**
 * Runs in the extension host as its extension tests (plain CommonJS, real `vscode`).
 * The first host writes in-host.json; every host then waits, because a settled test
 * run makes the workbench stop the extension hosts, and the runner reloads or quits.
 */
const HOST_SCRIPT = String.raw`
const vscode = require('vscode');
const fs = require('node:fs');
const path = require('node:path');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function whenActive(id) {
  for (let i = 0; i < 600; i++) {
    const ext = vscode.extensions.getExtension(id);
    if (ext && ext.isActive) return ext;
    await sleep(50);
  }
  throw new Error(id + ' did not activate');
}

function memento() {
  const values = new Map();
  return {
    keys: () => [...values.keys()],
    get: (key, fallback) => (values.has(key) ? values.get(key) : fallback),
    update: async (key, value) => { if (value === undefined) values.delete(key); else values.set(key, value); },
    setKeysForSync: () => {},
  };
}

function makeContext(ext, storage) {
  const subscriptions = [];
  const globalStorageUri = vscode.Uri.file(path.join(storage, 'global'));
  const storageUri = vscode.Uri.file(path.join(storage, 'workspace'));
  const logUri = vscode.Uri.file(path.join(storage, 'log'));
  return {
    subscriptions,
    extension: ext,
    extensionPath: ext.extensionPath,
    extensionUri: ext.extensionUri,
    extensionMode: vscode.ExtensionMode.Production,
    asAbsolutePath: (p) => path.join(ext.extensionPath, p),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
    globalStorageUri, storageUri, logUri,
    globalStoragePath: globalStorageUri.fsPath, storagePath: storageUri.fsPath, logPath: logUri.fsPath,
    environmentVariableCollection: { persistent: false, replace() {}, append() {}, prepend() {}, get() {}, forEach() {}, delete() {}, clear() {}, getScoped() { return this; } },
  };
}

/** The files each extension's main module loads at activation (ours: the entry point and the activation bundle). */
const ACTIVATION_FILES = { 'code-ops.code-ops': ['main.js', 'extension.js'], 'code-ops-bench.bench-minimal': ['extension.js'] };
const CODE_CACHE = Symbol.for('code-ops.codeCache');
const cacheRecords = () => (globalThis[CODE_CACHE] && globalThis[CODE_CACHE].records) || [];

/** The module instance now active for each extension (first: the one VS Code activated). */
const active = new Map();
const contexts = new Map();

/**
 * Places the files activation loads in a new folder of the extension (so V8 has compiled nothing of
 * them in this process, as in a new host): copies with a comment added (new files: our code cache has
 * nothing for them) or hard links (the same files under a new name: our code cache applies).
 */
function placeRound(ext, tag, link) {
  const from = path.dirname(require.resolve(path.join(ext.extensionPath, ext.packageJSON.main)));
  const dir = path.join(from, '.bench-' + tag);
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ACTIVATION_FILES[ext.id]) {
    if (link) fs.linkSync(path.join(from, name), path.join(dir, name));
    else fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(from, name), 'utf8') + '\n// bench ' + tag + '\n');
  }
  return { dir, main: path.join(dir, path.basename(ext.packageJSON.main)) };
}

async function stopActive(ext) {
  // first: the instance VS Code activated (its entry point is in require's cache)
  const mod = active.get(ext.id) || require(path.join(ext.extensionPath, ext.packageJSON.main));
  if (mod && mod.deactivate) await mod.deactivate();
  const context = contexts.get(ext.id);
  if (context) for (const d of context.subscriptions.splice(0)) d.dispose();
}

/** One require() + activate() of the files placed in \`placed\`, with storage at \`storage\`. */
async function activateOnce(ext, placed, storage) {
  await stopActive(ext);
  const context = makeContext(ext, storage);
  const before = cacheRecords().length;
  const marksBefore = performance.getEntriesByType('mark').length;
  const t0 = performance.now();
  const mod = require(placed.main);
  const t1 = performance.now();
  const ready = mod.activate(context);
  const t2 = performance.now();
  // Ours finishes in a second step (src/main.ts), after the call VS Code times: its own marks time that step.
  await ready;
  active.set(ext.id, mod);
  contexts.set(ext.id, context);
  const record = cacheRecords().slice(before).find((r) => path.basename(r.file) === 'extension.js');
  const marks = performance.getEntriesByType('mark').slice(marksBefore);
  const at = (name) => marks.find((m) => m.name === 'code-ops/' + name);
  const step2 = at('willLoadActivationBundle') && at('didActivate') ? at('didActivate').startTime - at('willLoadActivationBundle').startTime : 0;
  return { load: t1 - t0, activate: t2 - t1, step2, cache: record && record.outcome, bodyLoad: record ? record.loadMs : 0, record };
}

function forget(placed) {
  for (const key of Object.keys(require.cache)) if (key.startsWith(placed.dir + path.sep)) delete require.cache[key];
}

/**
 * Times require() + activate() of an extension's main module in this host, N times, each from a new
 * folder. \`cached\`: the same files as hard links, after a first round (not timed) wrote our code
 * cache; otherwise fresh copies and empty storage each round, as in the first host after an install.
 */
async function timeActivations(ext, rounds, storage, cached) {
  const load = [];
  const activate = [];
  const cache = [];
  const bodyLoad = [];
  const step2 = [];
  const placedAll = [];
  let warm;
  if (cached) {
    const placed = placeRound(ext, 'warm-' + Date.now(), true);
    placedAll.push(placed);
    const first = await activateOnce(ext, placed, storage);
    // our entry point writes its code cache a few seconds after activation; wait for it
    for (let i = 0; i < 200 && first.record && !first.record.written && !first.record.error; i++) await sleep(50);
    warm = first.record ? first.record.written || first.record.error || 'not written' : 'no code cache';
  }
  for (let i = 0; i < rounds; i++) {
    const tag = (cached ? 'cached-' : 'fresh-') + i + '-' + Date.now();
    const placed = placeRound(ext, tag, cached);
    placedAll.push(placed);
    const r = await activateOnce(ext, placed, cached ? storage : path.join(storage, tag));
    load.push(r.load);
    activate.push(r.activate);
    cache.push(r.cache || 'none');
    bodyLoad.push(r.bodyLoad);
    step2.push(r.step2);
    // Let what activate scheduled (timers, first reads) run before the next round.
    await sleep(150);
  }
  for (const placed of placedAll) forget(placed);
  return { load, activate, step2, cache, bodyLoad, warm };
}

/**
 * VS Code's own performance marks of this host's activations (integer ms): the require of the main
 * module (willLoad -> didLoadExtensionCode) and activate until it settled (will -> didActivateExtension).
 * Its Running Extensions number also counts an await before the require, where other work runs.
 */
async function hostMarks(ids) {
  const find = (marks, name) => marks.find((m) => m.name === name);
  for (let i = 0; i < 200; i++) {
    const marks = (globalThis.MonacoPerformanceMarks && globalThis.MonacoPerformanceMarks.getMarks()) || [];
    const result = {};
    for (const id of ids) {
      const at = (what) => find(marks, 'code/extHost/' + what + '/' + id);
      const [wl, dl, wa, da] = [at('willLoadExtensionCode'), at('didLoadExtensionCode'), at('willActivateExtension'), at('didActivateExtension')];
      if (wl && dl && wa && da) result[id] = { load: dl.startTime - wl.startTime, activate: da.startTime - wa.startTime };
    }
    if (ids.every((id) => result[id])) return result;
    await sleep(50);
  }
  throw new Error('no activation marks in this host');
}

exports.run = async function run() {
  const out = process.env.CODE_OPS_BENCH_HOST_OUT;
  const file = path.join(out, 'in-host.json');
  // Every host (one per reload) reports VS Code's marks for its activations, numbered in order.
  const n = fs.readdirSync(out).filter((f) => f.startsWith('marks-')).length;
  try {
    const marks = await hostMarks(['code-ops.code-ops', 'code-ops-bench.bench-minimal']);
    // how this host's activation loaded dist/extension.js: from our code cache (hit) or compiled (miss)
    const first = cacheRecords().find((r) => path.basename(r.file) === 'extension.js');
    marks.cache = first ? first.outcome : 'none';
    // our own marks of this host's first activation (src/main.ts, src/extension.ts): ms from the entry point's activate()
    const own = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('code-ops/'));
    const t0 = own.find((m) => m.name === 'code-ops/willActivate');
    marks.phases = t0 ? own.filter((m) => m.startTime >= t0.startTime).slice(0, 30).map((m) => [m.name.slice('code-ops/'.length), +(m.startTime - t0.startTime).toFixed(2)]) : [];
    fs.writeFileSync(path.join(out, 'marks-' + n + '.json'), JSON.stringify(marks));
  } catch (e) {
    fs.writeFileSync(path.join(out, 'marks-' + n + '.json'), JSON.stringify({ error: String(e && e.stack || e) }));
  }
  if (!fs.existsSync(path.join(out, 'in-host.started'))) {
    fs.writeFileSync(path.join(out, 'in-host.started'), '');
    try {
      const ours = await whenActive('code-ops.code-ops');
      const minimal = await whenActive('code-ops-bench.bench-minimal');
      await sleep(1500);
      const rounds = Number(process.env.CODE_OPS_BENCH_IN_HOST_ROUNDS);
      const result = {
        ours: await timeActivations(ours, rounds, path.join(out, 'storage-ours'), false),
        minimal: await timeActivations(minimal, rounds, path.join(out, 'storage-minimal'), false),
        oursCached: await timeActivations(ours, rounds, path.join(out, 'storage-ours-cached'), true),
        minimalCached: await timeActivations(minimal, rounds, path.join(out, 'storage-minimal-cached'), true),
      };
      fs.writeFileSync(file, JSON.stringify(result));
    } catch (e) {
      fs.writeFileSync(file, JSON.stringify({ error: String(e && e.stack || e) }));
    }
  }
  await sleep(30 * 60_000);
};
`;

async function waitForFile(file, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the in-host timing script wrote nothing within ${timeoutMs} ms`);
}

/** Activation times (ms) by extension display name, read from the Running Extensions editor once both have activated. */
async function readActivationTimes(page, names) {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  let last = {};
  while (Date.now() < deadline) {
    last = await page
      .locator('.runtime-extensions-editor .extension')
      .evaluateAll((rows) =>
        rows.map((r) => ({ name: r.querySelector('.name')?.textContent ?? '', time: r.querySelector('.activation-time')?.textContent ?? '' })),
      )
      .catch(() => []);
    const found = {};
    for (const { name, time } of last) {
      const m = /(\d+(?:\.\d+)?)ms/.exec(time);
      if (names.includes(name) && m) found[name] = Number(m[1]);
    }
    if (names.every((n) => n in found)) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  mkdirSync(resultsDir, { recursive: true });
  const shot = join(resultsDir, 'bench-activation-timeout.png');
  await page.screenshot({ path: shot }).catch(() => {});
  throw new Error(`Running Extensions did not show activation times for ${names.join(', ')} within ${ROUND_TIMEOUT_MS} ms (saw ${JSON.stringify(last)}; screenshot: test-results/bench-activation-timeout.png)`);
}

export async function run() {
  if (!isProvisioned()) await provisionCodeServer();
  const dir = mkdtempSync(join(tmpdir(), 'code-ops-bench-activation-'));
  // One development folder holding both extensions: the host scans its subfolders (it takes one such path).
  const devDir = join(dir, 'extensions');
  const minimalExt = join(devDir, 'bench-minimal');
  const workspace = join(dir, 'workspace');
  const codeHome = join(dir, 'code-home');
  const hostOut = join(dir, 'host-out');
  const hostScript = join(dir, 'host-script', 'index.js');
  mkdirSync(hostOut);
  mkdirSync(dirname(hostScript));
  writeFileSync(hostScript, HOST_SCRIPT);
  writeMinimalExtension(minimalExt);
  copyExtension(join(devDir, 'code-ops'));
  mkdirSync(workspace);
  mkdirSync(codeHome);
  let server;
  let browser;
  try {
    server = await startCodeServer({
      env: { CODE_HOME: codeHome, CODE_OPS_BENCH_HOST_OUT: hostOut, CODE_OPS_BENCH_IN_HOST_ROUNDS: String(IN_HOST_ROUNDS) },
      userSettings: { ...CALM_WORKBENCH_SETTINGS, 'workbench.editor.restoreViewState': false },
      tmpPrefix: 'code-ops-bench-server-',
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 3200 } });
    const url = workbenchUrl(server, {
      folder: workspace,
      payload: [
        ['extensionDevelopmentPath', remoteUri(server, devDir)],
        ['extensionTestsPath', remoteUri(server, hostScript)],
      ],
    });
    const ours = [];
    const baseline = [];
    let inHost;
    const marks = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round === 0) await page.goto(url);
      else await page.reload();
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: ROUND_TIMEOUT_MS });
      // The editor is restored after a reload; open it anyway so a round never reads a stale one.
      await runPaletteCommand(page, 'Developer: Show Running Extensions');
      const times = await readActivationTimes(page, [OURS, BASELINE]);
      ours.push(times[OURS]);
      baseline.push(times[BASELINE]);
      const m = await waitForFile(join(hostOut, `marks-${round}.json`), ROUND_TIMEOUT_MS);
      if (m.error) throw new Error(`reading VS Code's activation marks failed: ${m.error}`);
      marks.push(m);
      // The in-host loop runs in the first host only; a reload would kill it, so wait for it here.
      if (round === 0) inHost = await waitForFile(join(hostOut, 'in-host.json'), 90_000);
    }
    if (inHost.error) throw new Error(`in-host timing failed: ${inHost.error}`);
    // every round's numbers, for a closer look than the medians below
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'bench-activation.json'), JSON.stringify({ vscode: { ours, baseline }, marks, inHost }, null, 1));
    // Paired: both extensions activate in the same host at the same moment, so each round's difference
    // (ours less the one-command extension) cancels what the host and the machine were doing then.
    const diffs = ours.map((o, i) => o - baseline[i]);
    const cold = ours[0];
    const coldBase = baseline[0];
    const warm = median(ours.slice(1));
    const warmBase = median(baseline.slice(1));
    const warmDiff = median(diffs.slice(1));
    // A development build (unminified, sourcemaps) loads slower than what ships: say so.
    const development = readdirSync(benchDist()).some((f) => f.endsWith('.js.map'));
    const group = development ? 'activation (VS Code host, DEVELOPMENT build)' : 'activation (VS Code host)';
    const rows = [
      { group, metric: `cold activation, first extension host after the install (no code cache yet: ${marks[0].cache}; load + activate; ${diffs[0]} ms above the minimal)`, value: cold, unit: 'ms', baseline: { label: 'minimal extension', value: coldBase }, ratio: coldBase ? cold / coldBase : undefined, target: `<= minimal + ${WITHIN_MS} ms`, pass: diffs[0] <= WITHIN_MS },
      {
        group,
        metric: `warm activation, ${ours.length - 1} reloads (${ours.slice(1).join('/')} vs ${baseline.slice(1).join('/')}; code cache hit in ${marks.slice(1).filter((m) => m.cache === 'hit').length} of ${marks.length - 1}); median of the rounds' differences ${warmDiff} ms`,
        value: warm,
        unit: 'ms',
        baseline: { label: 'minimal extension', value: warmBase },
        ratio: warmBase ? warm / warmBase : undefined,
        target: `<= minimal + ${WITHIN_MS} ms`,
        pass: warmDiff <= WITHIN_MS,
      },
    ];
    // VS Code's marks, every host: the require alone (its marks sit right around it, nothing else runs
    // between them). The activate marks wait for promise chains other extensions share, so they are left out.
    const oursLoad = marks.map((m) => m[OURS].load);
    const baseLoad = marks.map((m) => m[BASELINE].load);
    rows.push({
      group,
      metric: `require of the main module in each new host (VS Code's marks; ours is the entry point, the activation bundle loads in activate), median of ${marks.length} (${oursLoad.join('/')})`,
      value: median(oursLoad),
      unit: 'ms',
      baseline: { label: 'minimal extension', value: median(baseLoad) },
      ratio: median(baseLoad) ? median(oursLoad) / median(baseLoad) : undefined,
    });
    const total = (r) => r.load.map((l, i) => l + r.activate[i]);
    const whole = (r) => r.load.map((l, i) => l + r.activate[i] + (r.step2?.[i] ?? 0));
    const n = IN_HOST_ROUNDS;
    const inHostRow = (label, o, m) => {
      const value = median(total(o));
      const base = median(total(m));
      return {
        group,
        metric: `in-host require + activate call (what VS Code counts), ${label}, median of ${n} (require ${median(o.load).toFixed(1)} + activate ${median(o.activate).toFixed(1)}; code cache ${summarize(o.cache)})`,
        value,
        unit: 'ms',
        baseline: { label: 'minimal extension', value: base },
        ratio: value / base,
      };
    };
    // All of our setup, the second step included (src/main.ts): the work did not go away, it runs in the next task.
    // The 5 ms applied to our own cost is gated here, on the whole setup, not on the call alone.
    const wholeRow = (label, o, m) => {
      const value = median(whole(o));
      const base = median(whole(m));
      return {
        group,
        metric: `in-host whole setup (require + activate call + the second step: activation bundle ${median(o.bodyLoad).toFixed(1)} ms, features), ${label}, median of ${n}`,
        value,
        unit: 'ms',
        baseline: { label: 'minimal extension', value: base },
        ratio: value / base,
        target: `<= minimal + ${WITHIN_MS} ms`,
        pass: value - base <= WITHIN_MS,
      };
    };
    rows.push(
      inHostRow('new files each round (the first host after an install compiles them)', inHost.ours, inHost.minimal),
      inHostRow('the same files under a new name (a later host: our code cache, nothing compiled in this process)', inHost.oursCached, inHost.minimalCached),
      wholeRow('new files', inHost.ours, inHost.minimal),
      wholeRow('code cache', inHost.oursCached, inHost.minimalCached),
    );
    // Each new host's first activation, from our own marks: the call VS Code times, and the second step.
    const phase = (m, from, to) => {
      const at = Object.fromEntries(m.phases ?? []);
      return at[from] !== undefined && at[to] !== undefined ? at[to] - at[from] : undefined;
    };
    const calls = marks.map((m) => phase(m, 'willActivate', 'didScheduleActivation')).filter((x) => x !== undefined);
    const steps = marks.map((m) => phase(m, 'willLoadActivationBundle', 'didActivate')).filter((x) => x !== undefined);
    if (calls.length && steps.length) {
      rows.push({
        group,
        metric: `each new host's first activation, our marks, median of ${calls.length}: activate call ${median(calls).toFixed(1)} ms (${calls.map((x) => x.toFixed(1)).join('/')}); second step ${median(steps).toFixed(1)} ms (${steps.map((x) => x.toFixed(1)).join('/')})`,
        value: median(calls) + median(steps),
        unit: 'ms',
      });
    } else {
      rows.push({ group, metric: "each new host's first activation, our marks", skipped: `no host reported code-ops/willActivate, didScheduleActivation, willLoadActivationBundle and didActivate (${calls.length}/${steps.length})` });
    }
    return rows;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop({ keepTemp: process.env.CODE_OPS_KEEP_TMP === '1' }).catch(() => {});
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
