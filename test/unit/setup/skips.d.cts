/** Skips the running test (or, from a `before` hook, its suite) for a reason of the platform it runs on. */
export declare function skipOnPlatform(ctx: Mocha.Context, reason: string): never;
/** The platform reason declared for a skipped test, if any. */
export declare function declaredReason(test: Mocha.Test): string | undefined;
