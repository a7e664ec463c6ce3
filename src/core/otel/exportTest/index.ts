/**
 * Send Test Telemetry: one OTLP log record and one metric point through the exporter the
 * effective [otel] describes, with what came back in words. Loads the OpenTelemetry
 * exporters, so the extension requires it only when the command runs (dist/otelTest.js).
 */
export * from './types';
export { loadEffectiveOtel, mergeLayers, type LoadOptions } from './config';
export { runOtelTest } from './run';
export { resultJson, resultText, summaryLine } from './format';
export { recordExportResult, otelExportReachable, forgetExportResults } from './check';
