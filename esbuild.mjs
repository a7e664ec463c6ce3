// Bundles the extension, the config language server and the CLI.
//   node esbuild.mjs               development build with sourcemaps
//   node esbuild.mjs --production  minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
//   --outdir=DIR                   write the bundles to DIR instead of dist/ (the benchmarks build a
//                                  private production copy so a concurrent rebuild of dist/ cannot change it)
// Imported, it builds nothing: test/unit/bundle.test.ts reads productBuilds() to check what activation loads.
import { randomBytes } from 'node:crypto';
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'package.json'), 'utf8'));

/**
 * Written as the last line of every bundle, new at every build: src/core/codeCache.ts puts it in the
 * name of a bundle's code cache, so the cache of one build is never used for another.
 */
const BUILD_ID = randomBytes(8).toString('hex');

function commonOptions(production) {
  return {
    footer: { js: `// code-ops-build ${BUILD_ID}` },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [plainCommonJsRequire],
    // CODE_OPS_TEST_HOOKS_BUILD: src/ui/testHooks.ts; the production bundles carry no test hooks.
    define: { CODE_OPS_VERSION: JSON.stringify(pkg.version), CODE_OPS_TEST_HOOKS_BUILD: production ? 'false' : 'true' },
  };
}

/**
 * `import * as vscode from 'vscode'` makes esbuild copy the API object (about 350 properties) into
 * a fresh namespace object once per importing file when the bundle loads (its `__toESM` helper):
 * ~0.2 ms each, ~1.7 ms for the eight files of dist/extension.js at every activation. The same holds
 * for Node's built-in modules (`import * as fs from 'node:fs'` copies about 100 properties, and
 * `node:path` is imported by ten files of the activation bundle: ~1 ms more). These are plain
 * CommonJS modules, so our sources get them as `import fs = require('node:fs')` instead: one
 * property lookup, same object. Types are unchanged (the sources keep the usual import).
 */
const plainCommonJsRequire = {
  name: 'plain-commonjs-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const namespaceImport = /^import \* as (\w+) from '(vscode|node:[\w/]+)';$/gm;
      if (!namespaceImport.test(text)) return undefined;
      return { contents: text.replace(namespaceImport, "import $1 = require('$2');"), loader: 'ts' };
    });
  },
};

/**
 * The product's bundles (the integration suites are built apart). Paths are relative to the
 * repository root. src/ui/*.ts require the lazily loaded ones at runtime as dist/<entry name>.js,
 * so activation (dist/extension.js) loads none of them.
 */
export function productBuilds({ production = false, distDir = 'dist' } = {}) {
  const common = commonOptions(production);
  return [
    {
      // The entry point (package.json "main"): requires dist/extension.js through the code cache.
      ...common,
      entryPoints: { main: 'src/main.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      ...common,
      entryPoints: { extension: 'src/extension.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The config.toml language client, required at runtime by src/ui/config.ts only when needed.
      ...common,
      entryPoints: { configClient: 'src/ui/configClient.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The app-server supervisor with vscode-jsonrpc, the approval prompt and the Send Request console,
      // required at runtime by src/ui/appServer.ts on the first Start, Restart or Send Request.
      ...common,
      entryPoints: { appServerCore: 'src/ui/appServerCore.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The Readiness view's controller and tree with src/core/readiness (checklist parser, checks catalog,
      // sign-off store, report, posts), required at runtime by src/ui/readiness.ts when the view first
      // asks for its rows or a readiness command runs; the tree view itself is created at activation.
      ...common,
      entryPoints: { readiness: 'src/ui/readinessController.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The log followers, alert rules and the two log channels, required at runtime by src/ui/logs.ts
      // after activation returns when codeOps.logs.follow is on, else on first use of a logs command.
      ...common,
      entryPoints: { logs: 'src/ui/logsFeature.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The Server Timeline webview, required at runtime by src/ui/timeline.ts on the first Show Server Timeline.
      ...common,
      entryPoints: { timelineView: 'src/ui/timelineView.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The alert policy and the action dispatcher, required at runtime by src/ui/alertsLoader.ts on the
      // first server transition, alert to show or action to run (the status bar's links stay in the main bundle).
      ...common,
      entryPoints: { alerts: 'src/ui/alertsFeature.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The Server Timeline recorder, required at runtime by src/ui/timeline.ts right after activation returns.
      ...common,
      entryPoints: { timeline: 'src/ui/timelineRecorder.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The config.toml feature's commands and client control, required at runtime by src/ui/config.ts
      // on a command, a matching file, a server config error or the deferred check.
      ...common,
      entryPoints: { configFeature: 'src/ui/configFeature.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The readiness check engine (TOML parser, schema validator, log scanner), required at runtime
      // by src/ui/readinessController.ts on the first check run.
      ...common,
      entryPoints: { readinessDeps: 'src/core/readiness/deps.ts' },
      outdir: distDir,
      metafile: true,
    },
    {
      // Send Test Telemetry: the OpenTelemetry exporters (OTLP/HTTP, OTLP/gRPC with grpc-js) and the SDK,
      // required at runtime by src/ui/otelTest.ts when the command or the otel-export-reachable check runs,
      // and by the CLI's otel-test.
      ...common,
      entryPoints: { otelTest: 'src/core/otel/exportTest/index.ts' },
      outdir: distDir,
      metafile: true,
    },
    {
      // The language server's entry point (the module the client forks): requires dist/server.js through the code cache.
      ...common,
      entryPoints: { serverMain: 'src/server/main.ts' },
      outdir: distDir,
      metafile: true,
    },
    {
      ...common,
      entryPoints: { server: 'src/server/server.ts' },
      outdir: distDir,
      metafile: true,
    },
    {
      // The language-model tools and the MCP server definition (the agent facade over the core, the
      // tool schemas), required at runtime by src/ui/lmTools.ts on the first tool call or definition request.
      ...common,
      entryPoints: { lmTools: 'src/ui/lmToolsFeature.ts' },
      outdir: distDir,
      external: ['vscode'],
      metafile: true,
    },
    {
      // The MCP server (the SDK, zod, the agent tools), required at runtime by `code-ops mcp` only.
      ...common,
      entryPoints: { mcp: 'src/mcp/main.ts' },
      outdir: distDir,
      metafile: true,
    },
    {
      // The CLI's commands other than validate, required at runtime by src/cli/lazy.ts when one runs,
      // so `code-ops validate` loads only the dispatcher and the config engine.
      ...common,
      entryPoints: { cliProbe: 'src/cli/probe.ts', cliCheck: 'src/cli/check.ts', cliTail: 'src/cli/tail.ts' },
      outdir: distDir,
      metafile: true,
    },
    {
      ...common,
      entryPoints: { cli: 'src/cli.ts' },
      outdir: distDir,
      banner: { js: '#!/usr/bin/env node' },
      metafile: true,
    },
  ];
}

/** Integration suites run inside the VS Code host; they are bundled apart from the product. */
function integrationEntries() {
  const dir = 'test/integration/suite';
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
  } catch {
    // no suites yet
  }
  return files;
}

async function main() {
  const production = process.argv.includes('--production');
  const watch = process.argv.includes('--watch');
  const distDir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';

  const builds = productBuilds({ production, distDir });

  if (!production) {
    const suites = integrationEntries();
    builds.push({
      ...commonOptions(production),
      entryPoints: ['test/integration/index.ts', ...suites],
      outdir: 'out/integration',
      outbase: 'test/integration',
      external: ['vscode', 'mocha'],
      sourcemap: 'inline',
    });
  }

  if (!watch) {
    rmSync(distDir, { recursive: true, force: true });
  }

  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching for changes…');
  } else {
    const results = await Promise.all(builds.map((b) => esbuild.build(b)));
    for (const r of results) {
      if (!r.metafile) continue;
      for (const [file, info] of Object.entries(r.metafile.outputs)) {
        if (file.endsWith('.map')) continue;
        console.log(`[esbuild] ${file} ${(info.bytes / 1024).toFixed(1)} KB`);
      }
    }
  }
}

// Run as a script (node esbuild.mjs …), not when imported.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
