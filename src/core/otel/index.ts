/** The [otel] validation engine of config.toml: plain Node, shared by the CLI, the language server and the readiness checks. */
export * from './api';
export { validateConfigText, looksLikeLiteralSecret, DIALECT_NAME } from './validate';
export { detectDialect } from './dialect';
export { decodeConfigBytes, validateConfigBytes } from './bytes';
export { cursorContext, completions, hoverMarkdown, findKeyRange, type CursorContext, type CompletionCandidate } from './cursor';
