// Entry of dist/appServerCore.js: what only a started server or the Send Request console needs
// (the supervisor, its JSON-RPC connection, the approval prompt). src/ui/appServer.ts requires it
// on the first Start, Restart or Send Request, so activation does not load vscode-jsonrpc.
export { AppServerSupervisor } from '../core/appServer/supervisor';
export { createApprovalPrompt } from './approvals';
export { sendRequestInteractive } from './sendRequest';
