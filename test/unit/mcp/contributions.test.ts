import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { AGENT_TOOLS, inputJsonSchema, parseToolInput } from '../../../src/mcp/tools';
import { panicDetails, parseSince } from '../../../src/mcp/logEntries';

const REPO = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

describe('agent tools: what package.json contributes', () => {
  const contributed: Array<{ name: string; modelDescription: string; inputSchema: unknown; toolReferenceName: string }> = pkg.contributes.languageModelTools;

  it('one language-model tool per MCP tool, with the same input schema, plus restart_server', () => {
    for (const tool of AGENT_TOOLS) {
      const c = contributed.find((t) => t.name === `codeops_${tool.name}`);
      assert.ok(c, `codeops_${tool.name} is contributed`);
      assert.deepEqual(c.inputSchema, inputJsonSchema(tool), `${tool.name}: package.json schema = the MCP schema`);
      assert.ok(c.modelDescription.startsWith(tool.description.slice(0, 80)), `${tool.name}: same description for the model`);
    }
    assert.deepEqual(contributed.map((t) => t.name).sort(), [...AGENT_TOOLS.map((t) => `codeops_${t.name}`), 'codeops_restart_server'].sort());
    // The activation shim registers exactly these names.
    const shim = fs.readFileSync(path.join(REPO, 'src/ui/lmTools.ts'), 'utf8');
    for (const t of contributed) assert.ok(shim.includes(`'${t.name.replace(/^codeops_/, '')}'`), `src/ui/lmTools.ts registers ${t.name}`);
  });

  it('the MCP server definition provider id matches the registration, and engines allow the APIs used', () => {
    const shim = fs.readFileSync(path.join(REPO, 'src/ui/lmTools.ts'), 'utf8');
    const [provider] = pkg.contributes.mcpServerDefinitionProviders;
    assert.ok(shim.includes(`'${provider.id}'`));
    assert.equal(pkg.contributes.configuration.properties['codeOps.mcp.registerServer'].default, false);
    // lm.registerMcpServerDefinitionProvider and McpStdioServerDefinition are in @types/vscode 1.101, not 1.100.
    assert.equal(pkg.engines.vscode, '^1.101.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.101.0');
  });

  it('parseToolInput names every problem of a bad input', () => {
    const logs = AGENT_TOOLS.find((t) => t.name === 'recent_logs')!;
    assert.throws(() => parseToolInput(logs, { lines: -1, level: 'LOUD', extra: 1 }), (err: Error) => /lines/.test(err.message) && /level/.test(err.message) && /extra/.test(err.message));
    assert.deepEqual(parseToolInput(logs, undefined), { log: 'tui', lines: 50 });
  });

  it('parseSince and panicDetails read the forms Code writes', () => {
    const now = Date.UTC(2026, 0, 31, 12);
    assert.equal(parseSince('2h', now), now - 2 * 3_600_000);
    assert.equal(parseSince('2026-01-31T11:00:00Z', now), now - 3_600_000);
    assert.throws(() => parseSince('soon', now), /not a time/);
    // code-app-server's hook (beacon code-rs/app-server/src/main.rs): location, no message
    assert.deepEqual(panicDetails('Panic occurred: PanicHookInfo { payload: Any { .. }, location: Location { file: "code-rs/app-server/src/message_processor.rs", line: 42, col: 9 }, can_unwind: true, force_no_backtrace: false }'), {
      location: 'code-rs/app-server/src/message_processor.rs:42:9',
    });
    // Rust's default hook
    assert.deepEqual(panicDetails("thread 'main' panicked at src/main.rs:64:11:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"), {
      location: 'src/main.rs:64:11',
      thread: 'main',
      message: 'boom',
    });
  });
});

type BuildOptions = esbuild.BuildOptions & { entryPoints: Record<string, string> };

describe('agent tools: bundles', function () {
  this.timeout(60_000);
  let builds: BuildOptions[];
  const inputsOf = async (name: string) => {
    const options = builds.find((b) => b.entryPoints[name]);
    assert.ok(options, `esbuild.mjs builds ${name}`);
    const r = await esbuild.build({ ...options, absWorkingDir: REPO, write: false, metafile: true, logLevel: 'silent' });
    const [, out] = Object.entries(r.metafile.outputs).find(([f]) => f.endsWith('.js'))!;
    return { inputs: Object.keys(out.inputs), text: r.outputFiles.find((f) => f.path.endsWith('.js'))!.text };
  };
  before(async () => {
    const mod = (await import(pathToFileURL(path.join(REPO, 'esbuild.mjs')).href)) as { productBuilds(o: { production: boolean }): BuildOptions[] };
    builds = mod.productBuilds({ production: true });
  });

  it('activation (dist/extension.js) holds neither the tools nor zod nor the MCP SDK; it requires lmTools.js at runtime', async () => {
    const { inputs, text } = await inputsOf('extension');
    const leaked = inputs.filter((i) => /^src\/mcp\/|^src\/ui\/lmToolsFeature\.ts$|node_modules\/(zod|@modelcontextprotocol)\//.test(i));
    assert.deepEqual(leaked, []);
    assert.ok(inputs.includes('src/ui/lmTools.ts'));
    assert.ok(text.includes('"lmTools.js"'));
  });

  it('dist/cli.js starts without the MCP SDK (it requires dist/mcp.js for `code-ops mcp` only)', async () => {
    const cli = await inputsOf('cli');
    assert.deepEqual(cli.inputs.filter((i) => /node_modules\/(zod|@modelcontextprotocol)\//.test(i)), []);
    assert.ok(cli.text.includes('"mcp.js"'));
    const mcp = await inputsOf('mcp');
    assert.ok(mcp.inputs.some((i) => /node_modules\/@modelcontextprotocol\/sdk\//.test(i)));
    assert.ok(mcp.inputs.includes('src/mcp/facade.ts'));
    const lm = await inputsOf('lmTools');
    assert.ok(lm.inputs.includes('src/mcp/facade.ts') && !lm.inputs.some((i) => /@modelcontextprotocol/.test(i)), 'the editor tools share the facade, not the SDK');
  });
});
