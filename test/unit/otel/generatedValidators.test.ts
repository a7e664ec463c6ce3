import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { schemaValidator, rootSchema } from '../../../src/core/otel/schema';
import type { Dialect } from '../../../src/core/otel';

const repo = path.resolve(__dirname, '../../..');

interface Generator {
  generate(): Record<string, string>;
  AJV_OPTIONS: Record<string, unknown>;
}
const loadGenerator = () => import(path.join(repo, 'scripts', 'gen-schema-validators.mjs')) as Promise<Generator>;

describe('precompiled [otel] schema validators (src/core/otel/generated)', function () {
  this.timeout(30_000);

  it('are current with schemas/*.schema.json (else run node scripts/gen-schema-validators.mjs)', async () => {
    const { generate } = await loadGenerator();
    for (const [rel, text] of Object.entries(generate())) {
      assert.equal(fs.readFileSync(path.join(repo, rel), 'utf8'), text, `${rel} is stale: run node scripts/gen-schema-validators.mjs`);
    }
  });

  it('report exactly what ajv compiling the schema at run time reports', async () => {
    const { AJV_OPTIONS } = await loadGenerator();
    const instances: unknown[] = [
      { otel: { environment: 'production', exporter: { 'otlp-grpc': { endpoint: 'https://c:4317', headers: {} } } } },
      { otel: { environment: 3, exporter: 'otlp-http', log_user_prompt: 'yes' } },
      { otel: { exporter: { 'otlp-http': { endpoint: 'http://c:4318/v1/logs', protocol: 'xml' }, 'otlp-grpc': {} } } },
      { otel: { trace_exporter: {}, metrics_exporter: { statsig: {} }, exporter: { kafka: {} } } },
      { otel: { exporter: { 'otlp-http': { headers: { a: 1 } } } } },
      { otel: 'on' },
    ];
    for (const dialect of ['beacon', 'codex'] as Dialect[]) {
      const runtime = new Ajv(AJV_OPTIONS).compile(rootSchema(dialect));
      const generated = schemaValidator(dialect);
      let failing = 0;
      for (const instance of instances) {
        const ok = generated(instance);
        assert.equal(ok, runtime(instance), `${dialect} ${JSON.stringify(instance)}`);
        assert.deepEqual(generated.errors ?? null, runtime.errors ?? null, `${dialect} ${JSON.stringify(instance)}`);
        if (!ok) failing++;
      }
      assert.ok(failing >= 4, `${dialect}: only ${failing} instances failed; the comparison must cover errors`);
    }
  });
});
