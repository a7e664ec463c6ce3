import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * The one log record and the one metric point the test sends, made by the
 * official SDK (no hand-built OTLP), with the resource the server sets.
 */

/** What Code's app server sends as `service.name` (Beacon `code-rs/core/src/default_client.rs`, the default originator). */
export const SERVER_SERVICE_NAME = 'code_cli_rs';
/** Beacon `code-rs/otel/src/otel_provider.rs` tags the resource with `env = <environment>` (its ENV_ATTRIBUTE). */
export const ENV_ATTRIBUTE = 'env';
/** The target Code's export filter keeps (`code_export_filter`), used as the instrumentation scope. */
export const SCOPE_NAME = 'code_otel';
/** Marks what the test sends, so a collector pipeline can drop it. */
export const TEST_ATTRIBUTE = 'code_ops.test';
export const TEST_METRIC = 'code_ops.test_export';

export function testResource(environment: string, serviceVersion: string): { resource: Resource; attributes: Record<string, string> } {
  const attributes = { 'service.name': SERVER_SERVICE_NAME, 'service.version': serviceVersion, [ENV_ATTRIBUTE]: environment };
  return { resource: resourceFromAttributes(attributes), attributes };
}

export async function testLogRecord(resource: Resource, runId: string): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  provider.getLogger(SCOPE_NAME).emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'Code Ops test record: telemetry from this host reaches the collector.',
    attributes: { [TEST_ATTRIBUTE]: true, 'code_ops.test.id': runId },
  });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

/** Collects on demand only; never exports by itself. */
class OnceReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export async function testMetricPoint(resource: Resource, runId: string): Promise<ResourceMetrics> {
  const reader = new OnceReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  provider.getMeter(SCOPE_NAME).createCounter(TEST_METRIC, { description: 'Code Ops test export (one point per run)' }).add(1, { [TEST_ATTRIBUTE]: true, 'code_ops.test.id': runId });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}
