import { probeOnce } from '../appServer/probe';
import { resolveExecutable } from '../appServer/resolve';
import { findPanics, listCriticalLogs } from '../logs/index';
import { logsPresentVerdict } from '../logs/layout';
import { configValue, loadConfigLayers } from '../otel/load';
import { readVersion, type CheckDeps } from './checks';
import { listServerProcesses } from './procs';
import { listArchiveEntries } from './archive';
import { globFiles } from './glob';

/** The real implementations behind the checks (tests replace single ones). */
export function defaultCheckDeps(): CheckDeps {
  return {
    loadConfigLayers,
    configValue,
    findPanics: (paths, sinceMs) => findPanics(paths, sinceMs),
    listCriticalLogs,
    logsPresent: logsPresentVerdict,
    probeOnce,
    resolveExecutable,
    readVersion: (exe, env) => readVersion(exe, env),
    listArchiveEntries: (file) => listArchiveEntries(file),
    globFiles,
    listServerProcesses: () => listServerProcesses(),
  };
}
