// Typed entry to skips.cjs (the reporter, plain CommonJS, reads the same marks).
import { createRequire } from 'node:module';

const skips = createRequire(__filename)('./skips.cjs') as { skipOnPlatform(ctx: Mocha.Context, reason: string): never };

/** Skips the running test (or, from a `before` hook, its suite) for a reason of the platform it runs on. The only skip the unit suite accepts. */
export const skipOnPlatform: (ctx: Mocha.Context, reason: string) => never = skips.skipOnPlatform;
