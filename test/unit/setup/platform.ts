// The typed entry to skips.cjs (the reporter, plain CommonJS, reads the same marks).
export { skipOnPlatform } from './skips.cjs';
