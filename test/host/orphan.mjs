// `npm run x` starts `sh -c "node x.mjs"`. When npm gets SIGTERM, the shell
// dies and node is never signalled: it is re-parented and would keep running
// (and keep code-server with it). onOrphaned notices the parent going away.

/**
 * Calls `callback` once when this process's parent changes (the parent exited
 * and this process was adopted by init or a subreaper). Returns a function that
 * stops watching. The timer does not keep the process alive.
 */
export function onOrphaned(callback, intervalMs = 250) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    callback(parent);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
