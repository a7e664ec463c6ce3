'use strict';
// Lets require() find a module written as `.cjs` when it is asked for without
// an extension. Mocha 12 ships its CLI helpers as `lib/cli/*.cjs`, and the
// Stryker mocha runner (10.1.1) requires `mocha/lib/cli/run-helpers` without
// one. Loaded (NODE_OPTIONS --require) into Stryker and its worker processes.
const Module = require('node:module');

if (!Module._extensions['.cjs']) Module._extensions['.cjs'] = Module._extensions['.js'];

// Stryker's sandbox is made with mkdtemp (mode 0700). A few tests drop to an
// unprivileged user (uid 65534) to exercise permission errors, and that user
// must be able to load the sandbox's fixtures: open the sandbox to reading.
const fsp = require('node:fs/promises');
const path = require('node:path');

const mkdtemp = fsp.mkdtemp;
fsp.mkdtemp = async function (prefix, ...rest) {
  const dir = await mkdtemp.call(this, prefix, ...rest);
  if (path.basename(path.dirname(String(prefix))) === '.stryker-tmp' && path.basename(String(prefix)) === 'sandbox-') await fsp.chmod(dir, 0o755);
  return dir;
};
