import { pathsOf, probeServer, readiness, recentLogs, recentPanics, validateConfig, type OperatorConfig } from './facade';
import type { AgentBackend } from './tools';

/**
 * Answers for `code-ops mcp`: each question is asked afresh (a probe of the
 * operator's server, the files under CODE_HOME as they are now).
 */
export function cliBackend(config: OperatorConfig): AgentBackend {
  const paths = pathsOf(config.codeHome);
  return {
    serverStatus: () => probeServer(config),
    readiness: (input) => readiness(config, input),
    validateConfig: (input) => validateConfig({ ...config, target: input.target ?? config.target }),
    recentLogs: (input) => recentLogs(paths, input),
    recentPanics: (input) => recentPanics(paths, input),
  };
}
