import * as vscode from 'vscode';
import { chunkText, type LineChunk } from '../core/logs';
import type { LogSource } from '../core/logs/api';
import { maskSecrets } from '../core/mask';

export const CHANNEL_NAMES: Record<LogSource, string> = { 'code-tui': 'Code: code-tui.log', critical: 'Code: critical.log' };
/** A chunk bigger than this (catching up after a pause) is shown by its last lines only. */
const MAX_SHOWN_BYTES = 1 << 20;
/** Lines of each channel kept in memory for the test hook. */
const MIRROR_LINES = 2000;

/**
 * The two output channels, in the `code-log` language so the grammar colours
 * them. Every line is masked before it reaches a channel.
 */
export class LogChannels implements vscode.Disposable {
  private readonly channels = new Map<LogSource, vscode.OutputChannel>();
  private readonly mirror = new Map<LogSource, string[]>();

  channel(source: LogSource): vscode.OutputChannel {
    let channel = this.channels.get(source);
    if (!channel) {
      channel = vscode.window.createOutputChannel(CHANNEL_NAMES[source], 'code-log');
      this.channels.set(source, channel);
    }
    return channel;
  }

  appendChunk(source: LogSource, chunk: LineChunk, keepLines: number): void {
    let shown = chunk;
    let skipped = 0;
    if (chunk.bytes.length > MAX_SHOWN_BYTES) {
      // find where the last keepLines lines start
      let at = chunk.bytes.length - 1;
      for (let n = 0; n < Math.max(1, keepLines) && at > 0; n++) at = chunk.bytes.lastIndexOf(0x0a, at - 1);
      const start = Math.max(0, at + 1);
      skipped = start;
      shown = { ...chunk, bytes: chunk.bytes.subarray(start), offset: chunk.offset + start };
    }
    if (skipped > 0) this.note(source, `${skipped} bytes not shown while catching up; open the log file to see them.`);
    const text = maskSecrets(chunkText(shown));
    this.channel(source).append(text);
    this.remember(source, text.split('\n').slice(0, -1));
  }

  note(source: LogSource, message: string): void {
    const line = maskSecrets(`── ${new Date().toISOString()} code-ops: ${message}`);
    this.channel(source).appendLine(line);
    this.remember(source, [line]);
  }

  show(source: LogSource, preserveFocus = true): void {
    this.channel(source).show(preserveFocus);
  }

  clear(): void {
    for (const [source, channel] of this.channels) {
      channel.clear();
      this.mirror.set(source, []);
    }
  }

  /** What was appended recently (tests). */
  recent(source: LogSource): readonly string[] {
    return this.mirror.get(source) ?? [];
  }

  private remember(source: LogSource, lines: string[]): void {
    const kept = this.mirror.get(source) ?? [];
    kept.push(...lines);
    if (kept.length > MIRROR_LINES) kept.splice(0, kept.length - MIRROR_LINES);
    this.mirror.set(source, kept);
  }

  dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
