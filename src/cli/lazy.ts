import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand, CliIO } from './types';

/**
 * A command whose code is loaded on first use. The bundled CLI (dist/cli.js) carries only the
 * dispatcher and `validate`; `probe`, `check` and `tail` are bundles of their own next to it
 * (dist/cliProbe.js, …), so `code-ops validate` neither parses nor runs their dependencies
 * (vscode-jsonrpc, tar, picomatch, the log followers). Run from the sources, the module is
 * required directly.
 *
 * `summary` is written here because the top-level help lists every command without loading any;
 * test/unit/cli/lazyCommands.test.ts checks it is the loaded command's own summary.
 */
export function lazyCommand(name: string, summary: string, bundle: string, source: string, exportName: string): CliCommand {
  let loaded: CliCommand | undefined;
  const load = (): CliCommand => {
    if (!loaded) {
      // a require esbuild leaves alone: the bundle is a separate file, not part of dist/cli.js
      const req = require;
      const bundled = path.join(__dirname, bundle);
      const mod = (fs.existsSync(bundled) ? req(bundled) : req(source)) as Record<string, CliCommand>;
      loaded = mod[exportName];
      if (!loaded) throw new Error(`code-ops: ${bundle} does not export ${exportName}`);
    }
    return loaded;
  };
  return {
    name,
    summary,
    get help(): string {
      return load().help;
    },
    get options(): CliCommand['options'] {
      return load().options;
    },
    run(args: string[], io: CliIO): Promise<number> {
      return load().run(args, io);
    },
  };
}
