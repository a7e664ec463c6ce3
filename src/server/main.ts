// The config.toml language server's entry point (the module the client forks): requires
// dist/server.js through the code cache (src/core/codeCache.ts) in the folder the client names,
// the extension's global storage, so a server started in a new window does not compile its
// 320 KB again (about 50 ms fresh, 22 ms from the cache, measured in a plain node process).
import * as path from 'node:path';
import { CODE_CACHE_ENV, loadBundle } from '../core/codeCache';

loadBundle(path.join(__dirname, 'server.js'), process.env[CODE_CACHE_ENV] || undefined);
