import { otelExportReachable as lastTestExport } from '../../otel/exportTest/check';
import { managedConfigPath } from '../../otel/managedPath';
import type { CheckContext, Verdict } from '../checkTypes';

/**
 * `otel-export-reachable`: the verdict of the last Send Test Telemetry run for
 * this CODE_HOME, kept until either config layer changes. It never sends by
 * itself (sending is the operator's choice); with no run yet it is `skip` with Run.
 */
export async function otelExportReachable(ctx: CheckContext): Promise<Verdict> {
  const managed = managedConfigPath(ctx.codeHome, { platform: ctx.platform, override: ctx.settings.managedConfig, cwd: ctx.cwd });
  return lastTestExport({ root: ctx.codeHome, configToml: ctx.paths.configToml, managedConfigToml: managed });
}
