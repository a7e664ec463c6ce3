import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

// What activation loads: dist/extension.js must stay free of the parts that load lazily
// (the supervisor with vscode-jsonrpc, the readiness checks, the log followers). Built here
// in memory from the build script's own options, production mode, like the shipped bundle.

const REPO = path.resolve(__dirname, '../..');

type BuildOptions = esbuild.BuildOptions & { entryPoints: Record<string, string> };

async function productBuilds(): Promise<BuildOptions[]> {
  const mod = (await import(pathToFileURL(path.join(REPO, 'esbuild.mjs')).href)) as { productBuilds(o: { production: boolean; distDir: string }): BuildOptions[] };
  return mod.productBuilds({ production: true, distDir: 'dist' });
}

/** Builds one product bundle in memory; returns its metafile inputs (repo-relative paths) and text. */
async function build(options: BuildOptions): Promise<{ inputs: string[]; text: string; bytes: number }> {
  const result = await esbuild.build({ ...options, absWorkingDir: REPO, write: false, metafile: true, logLevel: 'silent' });
  const [file, output] = Object.entries(result.metafile.outputs).find(([f]) => f.endsWith('.js'))!;
  const text = result.outputFiles.find((o) => o.path.endsWith(path.basename(file)))!.text;
  return { inputs: Object.keys(output.inputs), text, bytes: output.bytes };
}

/** Inputs that belong in a lazily loaded bundle, never in the one activation requires. */
const LAZY_ONLY: Array<[string, RegExp]> = [
  ['vscode-jsonrpc', /node_modules\/vscode-jsonrpc\//],
  ['the supervisor', /^src\/core\/appServer\/(supervisor|connection|jsonl|process)\.ts$/],
  ['the Send Request console', /^src\/ui\/sendRequest\.ts$/],
  ['the readiness core (checks, catalog, parser, state, report, posts)', /^src\/core\/readiness\//],
  ['the Readiness controller and tree', /^src\/ui\/readiness(Controller|Tree)\.ts$/],
  ['the log followers', /^src\/core\/logs\/(follower|rollingFollower|alerts|codeLogs)\.ts$/],
  ['the logs feature', /^src\/ui\/(logsFeature|logChannels)\.ts$/],
  ['the Server Timeline webview', /^src\/ui\/timelineView\.ts$/],
  ['the OpenTelemetry exporters and SDK', /node_modules\/(@opentelemetry|@grpc|protobufjs)\//],
  ['the test export', /^src\/core\/otel\/exportTest\//],
  ['the alert policy', /^src\/core\/alertPolicy\.ts$/],
  ['the action dispatcher', /^src\/ui\/dispatch\.ts$/],
  ['the timeline recorder', /^src\/(core\/timeline|ui\/timelineRecorder)\.ts$/],
  ['the config feature bodies and the server warnings collection', /^src\/ui\/(configFeature|serverConfigWarnings)\.ts$/],
];

describe('bundles: what activation loads', function () {
  this.timeout(60_000);
  let builds: BuildOptions[];
  let main: { inputs: string[]; text: string; bytes: number };

  before(async () => {
    builds = await productBuilds();
    const extension = builds.find((b) => b.entryPoints.extension);
    assert.ok(extension, 'esbuild.mjs builds an `extension` entry');
    main = await build(extension);
  });

  it('dist/extension.js holds none of the lazily loaded parts', () => {
    // It is built from the real sources: the wiring and the status bar renderer are in it.
    assert.ok(main.inputs.includes('src/extension.ts'), `inputs: ${main.inputs.join(', ')}`);
    assert.ok(main.inputs.includes('src/core/appServer/status.ts'), 'the status bar renders from status.ts at activation');
    const leaked = LAZY_ONLY.flatMap(([what, pattern]) => main.inputs.filter((i) => pattern.test(i)).map((i) => `${what}: ${i}`));
    assert.deepEqual(leaked, [], 'a value import (not `import type`) pulled these into dist/extension.js');
    // Far below the 215 KB it was with everything in it (57 KB before the alerts, timeline and config bodies moved out).
    assert.ok(main.bytes < 48 * 1024, `dist/extension.js is ${(main.bytes / 1024).toFixed(1)} KB`);
  });

  it('gets vscode with a plain require (no copy of the API object per file at load)', () => {
    assert.match(main.text, /require\("vscode"\)/);
    assert.doesNotMatch(main.text, /\(require\("vscode"\)\)/, 'a helper wraps require("vscode")');
  });

  it('no copy of a Node built-in per importing file either (esbuild.mjs plainCommonJsRequire)', () => {
    assert.match(main.text, /require\("node:path"\)/);
    assert.doesNotMatch(main.text, /\(require\("node:[\w/]+"\)\)/, 'a helper wraps require("node:…")');
  });

  it("package.json's entry point is dist/main.js: small, it loads dist/extension.js through the code cache in the next task", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { main: string };
    assert.equal(pkg.main, './dist/main.js');
    const entry = await build(builds.find((b) => b.entryPoints.main)!);
    assert.deepEqual(entry.inputs.filter((i) => i.startsWith('src/')).sort(), ['src/core/codeCache.ts', 'src/core/mkdirs.ts', 'src/main.ts']);
    assert.ok(entry.bytes < 5 * 1024, `dist/main.js is ${entry.bytes} bytes`);
    assert.ok(entry.text.includes('"extension.js"'), 'it names the activation bundle at runtime (not bundled into it)');
  });

  it('every bundle src/ui requires at runtime is built, and holds what was moved out', async () => {
    // The runtime paths: load(path.join(<extension path>, 'dist', '<name>.js')) or path.join(dist, '<name>.js').
    const uiDir = path.join(REPO, 'src', 'ui');
    const required = new Set<string>();
    for (const f of fs.readdirSync(uiDir).filter((n) => n.endsWith('.ts'))) {
      for (const m of fs.readFileSync(path.join(uiDir, f), 'utf8').matchAll(/path\.join\([^)]*'(\w+)\.js'\)/g)) required.add(m[1]);
    }
    for (const name of ['appServerCore', 'readiness', 'logs', 'readinessDeps', 'configClient', 'otelTest', 'alerts', 'timeline', 'configFeature']) assert.ok(required.has(name), `src/ui requires dist/${name}.js (found ${[...required].join(', ')})`);
    const entries = new Map(builds.flatMap((b) => Object.entries(b.entryPoints)));
    for (const name of required) assert.ok(entries.has(name), `esbuild.mjs builds dist/${name}.js`);
    // The main bundle names each of them at runtime (so the require is real, not bundled).
    for (const name of ['appServerCore', 'readiness', 'logs', 'otelTest', 'alerts', 'timeline', 'configFeature']) assert.ok(main.text.includes(`"${name}.js"`), `dist/extension.js requires ${name}.js at runtime`);

    const inputsOf = async (name: string) => (await build(builds.find((b) => b.entryPoints[name])!)).inputs;
    const [core, readiness, logs] = await Promise.all([inputsOf('appServerCore'), inputsOf('readiness'), inputsOf('logs')]);
    assert.ok(core.some((i) => /node_modules\/vscode-jsonrpc\//.test(i)) && core.includes('src/core/appServer/supervisor.ts'), 'appServerCore.js holds the supervisor and vscode-jsonrpc');
    assert.ok(readiness.includes('src/core/readiness/checks.ts') && readiness.includes('src/ui/readinessTree.ts'), 'readiness.js holds the checks and the tree');
    assert.ok(logs.includes('src/core/logs/follower.ts'), 'logs.js holds the followers');
    const otelTest = await inputsOf('otelTest');
    const [alerts, timeline, configFeature] = await Promise.all([inputsOf('alerts'), inputsOf('timeline'), inputsOf('configFeature')]);
    assert.ok(alerts.includes('src/core/alertPolicy.ts') && alerts.includes('src/ui/dispatch.ts'), 'alerts.js holds the policy and the dispatcher');
    assert.ok(timeline.includes('src/core/timeline.ts') && timeline.includes('src/ui/timelineRecorder.ts'), 'timeline.js holds the recorder');
    assert.ok(configFeature.includes('src/ui/configFeature.ts') && !configFeature.some((i) => /node_modules\/vscode-languageclient\//.test(i)), 'configFeature.js holds the bodies, not the client');
    assert.ok(otelTest.some((i) => /node_modules\/@opentelemetry\/exporter-logs-otlp-grpc\//.test(i)) && otelTest.includes('src/core/otel/exportTest/run.ts'), 'otelTest.js holds the exporters');
  });

  it('the production bundles carry no test hook; the development build the integration suites run does', async () => {
    const hookIds = /codeOps\.\w+\.testHook/g;
    const production = await Promise.all(builds.map((b) => build(b)));
    const leaked = production.flatMap((p, i) => [...p.text.matchAll(hookIds)].map((m) => `${Object.keys(builds[i].entryPoints)[0]}.js: ${m[0]}`));
    assert.deepEqual(leaked, [], 'test hook commands in a production bundle');
    for (const [i, p] of production.entries()) {
      assert.ok(!p.text.includes('CODE_OPS_TEST_HOOKS'), `${Object.keys(builds[i].entryPoints)[0]}.js reads CODE_OPS_TEST_HOOKS`);
    }
    // The same sources built for development keep all five hooks and their gate: the check above can fail.
    const mod = (await import(pathToFileURL(path.join(REPO, 'esbuild.mjs')).href)) as { productBuilds(o: { production: boolean; distDir: string }): BuildOptions[] };
    const dev = await build({ ...mod.productBuilds({ production: false, distDir: 'dist' }).find((b) => b.entryPoints.extension)!, sourcemap: false });
    const devHooks = new Set([...dev.text.matchAll(hookIds)].map((m) => m[0]));
    assert.deepEqual([...devHooks].sort(), ['codeOps.lmTools.testHook', 'codeOps.logs.testHook', 'codeOps.otel.testHook', 'codeOps.readiness.testHook', 'codeOps.settings.testHook']);
    assert.ok(dev.text.includes('CODE_OPS_TEST_HOOKS'), 'the development build reads CODE_OPS_TEST_HOOKS');
  });
});
