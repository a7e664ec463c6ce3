/**
 * esbuild defines it: false in the production build (`node esbuild.mjs --production`, what
 * `npm run package` ships), so the test hooks (src/ui/testHooks.ts) and every call site guarded
 * by TEST_HOOKS_BUILT are dropped from the bundle as dead code; true in the development build
 * the integration suites run. Kept apart from testHooks.ts: a module that loads 'vscode' is not
 * inlined across modules by esbuild, and the guard must be a constant at each call site.
 */
declare const CODE_OPS_TEST_HOOKS_BUILD: boolean | undefined;

/** Whether this build carries the test hooks at all (compiled from source without esbuild: yes). */
export const TEST_HOOKS_BUILT = typeof CODE_OPS_TEST_HOOKS_BUILD === 'boolean' ? CODE_OPS_TEST_HOOKS_BUILD : true;
