import * as vscode from 'vscode';

/**
 * An output channel created on first write or show, so activation creates
 * none, and one that goes quiet once disposed instead of throwing "Channel has
 * been closed" at a late writer (a language client's last "connection closed").
 */
export class LazyOutputChannel implements vscode.Disposable {
  private created?: vscode.OutputChannel | vscode.LogOutputChannel;
  private closed = false;
  private viewOf?: vscode.LogOutputChannel;

  constructor(
    readonly name: string,
    private readonly options: { log?: true; languageId?: string } = {},
  ) {}

  /** Whether the channel exists yet (tests, and callers that only write when it does). */
  get exists(): boolean {
    return this.created !== undefined;
  }

  private get channel(): vscode.OutputChannel | vscode.LogOutputChannel {
    if (!this.created) {
      this.created = this.options.log
        ? vscode.window.createOutputChannel(this.name, { log: true })
        : vscode.window.createOutputChannel(this.name, this.options.languageId);
    }
    return this.created;
  }

  appendLine(line: string): void {
    if (!this.closed) this.channel.appendLine(line);
  }

  append(text: string): void {
    if (!this.closed) this.channel.append(text);
  }

  show(preserveFocus = true): void {
    if (!this.closed) this.channel.show(preserveFocus);
  }

  clear(): void {
    this.created?.clear();
  }

  /**
   * The channel for a library that writes to it itself (a language client): a log channel
   * whose writes are dropped once this one is closed. Needs `{ log: true }`.
   */
  logView(): vscode.LogOutputChannel {
    if (!this.options.log) throw new Error(`${this.name} is not a log channel`);
    this.viewOf ??= quietAfterClose(this.channel as vscode.LogOutputChannel, () => this.closed);
    return this.viewOf;
  }

  dispose(): void {
    this.closed = true;
    this.created?.dispose();
    this.created = undefined;
    this.viewOf = undefined;
  }
}

const CHANNEL_WRITES = new Set<string | symbol>(['append', 'appendLine', 'replace', 'clear', 'show', 'hide', 'trace', 'debug', 'info', 'warn', 'error']);

function quietAfterClose(channel: vscode.LogOutputChannel, closed: () => boolean): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (CHANNEL_WRITES.has(prop)) return (...args: unknown[]) => (closed() ? undefined : value.apply(target, args));
      return value.bind(target);
    },
  });
}
