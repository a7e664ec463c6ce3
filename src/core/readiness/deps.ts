import { probeOnce } from '../appServer/probe';
import { resolveExecutable } from '../appServer/resolve';
import { findPanics, listCriticalLogs } from '../logs/index';
import { detectDialect, validateConfigBytes } from '../otel/index';
import { readVersionSafely } from '../appServer/version';
import type { CheckDeps } from './checks';

/** The real implementations behind the checks (tests replace single ones). */
export function defaultCheckDeps(): CheckDeps {
  return {
    validateConfigBytes,
    detectDialect,
    findPanics: (paths, sinceMs) => findPanics(paths, sinceMs),
    listCriticalLogs,
    probeOnce,
    resolveExecutable,
    readVersion: (exe, env) => readVersionSafely(exe, env),
  };
}
