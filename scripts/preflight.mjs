// Runs before `npm test` (npm's pretest): checks, in well under a second, what
// the test suite needs from the machine beyond npm packages, and when something
// is missing stops at once with the one command that finishes the set-up,
// instead of forty lines of native-build output later on.
//   node scripts/preflight.mjs
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromiumPath, codeServerEntry, nodeBinary, repoRoot } from '../test/host/paths.mjs';

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = [];
if (!existsSync(join(repoRoot, 'node_modules'))) {
  console.error('npm test: dependencies are not installed. Run: npm ci');
  process.exit(1);
}
if (!existsSync(chromiumPath)) missing.push('chromium');
// code-server compiles native modules once, at provisioning: only then are these needed.
const provisioned = existsSync(codeServerEntry) && existsSync(nodeBinary);
if (!provisioned) {
  const krb5 = ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h', '/usr/include/krb5/krb5.h'].some(existsSync);
  if (!krb5) missing.push('libkrb5-dev');
  if (!onPath('g++') || !onPath('make')) missing.push('build-essential');
  if (!onPath('python3')) missing.push('python3');
}
if (missing.length > 0) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  console.error(`npm test needs the Debian package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. Run: ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  process.exit(1);
}
