// Bundles the extension, the config language server and the CLI.
//   node esbuild.mjs               development build with sourcemaps
//   node esbuild.mjs --production  minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
//   --outdir=DIR                   write the bundles to DIR instead of dist/ (the benchmarks build a
//                                  private production copy so a concurrent rebuild of dist/ cannot change it)
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const distDir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { CODE_OPS_VERSION: JSON.stringify(pkg.version) },
};

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

const builds = [
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
    // The readiness check engine (TOML parser, schema validator, log scanner), required at runtime
    // by src/ui/readiness.ts on the first check run, so activation does not load it.
    ...common,
    entryPoints: { readinessDeps: 'src/core/readiness/deps.ts' },
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
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: distDir,
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
  },
];

if (!production) {
  const suites = integrationEntries();
  builds.push({
    ...common,
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
