import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FILE_CAPS, FileReadError, readRegularText } from '../fsSafe';
import { mkdirs } from '../mkdirs';

/**
 * Who signed off which checklist item, stored as JSON so a team can commit its
 * release sign-off (`.code-ops/readiness.json`). Hand edits are welcome: bad
 * entries are reported and kept as they are; a file that does not parse is
 * reported and never overwritten until someone decides what to do with it.
 */

export const STATE_FILE_VERSION = 1;

export interface SignOff {
  checked: boolean;
  /** Who ticked the box. */
  by?: string;
  /** ISO 8601 time of the tick. */
  at?: string;
  note?: string;
  /** The item's label when it was signed, so the file reads well in a review. */
  title?: string;
}

export interface StateProblem {
  /** The item id the problem is about, when it is about one entry. */
  itemId?: string;
  message: string;
}

export interface LoadedState {
  entries: Map<string, SignOff>;
  /** The file does not parse or has the wrong shape: nothing will be written to it. */
  corrupt?: string;
  /** Entries that were skipped (kept in the file untouched). */
  problems: StateProblem[];
  exists: boolean;
}

export class StateFileCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} could not be read (${reason}); fix it or move it aside before signing off. Nothing was written.`);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface RawFile {
  [k: string]: Json;
}

function describeJsonError(text: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  if (pos) {
    const offset = Number(pos[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    return `invalid JSON at line ${line}, column ${col}`;
  }
  return `invalid JSON: ${msg}`;
}

/** ISO 8601 as toISOString writes it (seconds and fraction optional, Z or an offset), and a real calendar date. */
export function isStrictIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d >= 1 && d <= days && !Number.isNaN(Date.parse(text));
}

/** Control characters (line breaks included) would let a hand-edited field forge lines in a report. */
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MAX_FIELD = { by: 200, at: 40, title: 500, note: 4000 } as const;

function validateEntry(id: string, value: Json): { entry?: SignOff; problem?: string } {
  const name = JSON.stringify(id.length > 120 ? `${id.slice(0, 119)}…` : id);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: `entry ${name} is not an object` };
  const v = value as Record<string, Json>;
  if (typeof v.checked !== 'boolean') return { problem: `entry ${name}: "checked" must be true or false` };
  for (const key of ['by', 'at', 'note', 'title'] as const) {
    const field = v[key];
    if (field === undefined) continue;
    if (typeof field !== 'string') return { problem: `entry ${name}: "${key}" must be a string` };
    if (field.length > MAX_FIELD[key]) return { problem: `entry ${name}: "${key}" is longer than ${MAX_FIELD[key]} characters` };
    if (key !== 'note' && CONTROL.test(field)) return { problem: `entry ${name}: "${key}" holds a line break or control character` };
  }
  if (typeof v.at === 'string' && !isStrictIsoDate(v.at)) return { problem: `entry ${name}: "at" is not an ISO 8601 date and time (${JSON.stringify(v.at)})` };
  return {
    entry: {
      checked: v.checked,
      by: v.by as string | undefined,
      at: v.at as string | undefined,
      note: v.note as string | undefined,
      title: v.title as string | undefined,
    },
  };
}

export function parseStateText(text: string): { raw?: RawFile; state: Omit<LoadedState, 'exists'> } {
  const entries = new Map<string, SignOff>();
  const problems: StateProblem[] = [];
  if (!text.trim()) return { raw: { version: STATE_FILE_VERSION, items: {} }, state: { entries, problems } };
  let raw: Json;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch (err) {
    return { state: { entries, problems, corrupt: describeJsonError(text, err) } };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { state: { entries, problems, corrupt: 'the file is not a JSON object' } };
  }
  const items = raw.items ?? {};
  if (items === null || typeof items !== 'object' || Array.isArray(items)) {
    return { state: { entries, problems, corrupt: '"items" must be an object keyed by item id' } };
  }
  if (raw.version !== undefined && raw.version !== STATE_FILE_VERSION) {
    problems.push({ message: `version ${JSON.stringify(raw.version)} is not ${STATE_FILE_VERSION}; entries were read as version ${STATE_FILE_VERSION}` });
  }
  for (const [id, value] of Object.entries(items)) {
    const { entry, problem } = validateEntry(id, value);
    if (entry) entries.set(id, entry);
    else problems.push({ itemId: id, message: problem! });
  }
  return { raw: raw as RawFile, state: { entries, problems } };
}

/** The sign-off file's text, or nothing when it does not exist; a FIFO, a folder or a huge file is an error, never waited on. */
export async function readStateText(file: string): Promise<{ text?: string }> {
  try {
    return { text: await readRegularText(file, FILE_CAPS.state) };
  } catch (err) {
    if (err instanceof FileReadError && err.code === 'ENOENT') return {};
    throw err;
  }
}

export class ReadinessStateStore {
  private loaded: LoadedState = { entries: new Map(), problems: [], exists: false };

  constructor(readonly file: string) {}

  get state(): LoadedState {
    return this.loaded;
  }

  get(id: string): SignOff | undefined {
    return this.loaded.entries.get(id);
  }

  async load(): Promise<LoadedState> {
    let text: string | undefined;
    try {
      text = (await this.readRaw()).text;
    } catch (err) {
      // A FIFO, a device, a huge file: unreadable is said wherever sign-offs show (report, CLI, view), never taken for "none yet".
      if (!(err instanceof FileReadError)) throw err;
      this.loaded = { entries: new Map(), problems: [], exists: true, corrupt: err.message };
      return this.loaded;
    }
    this.loaded = { ...parseStateText(text ?? '').state, exists: text !== undefined };
    return this.loaded;
  }

  /** Ticks or unticks an item; read-modify-write so edits made on disk meanwhile survive. */
  async setChecked(id: string, checked: boolean, who: { by: string; at: Date; title?: string }): Promise<SignOff> {
    return this.update(id, (prev) => {
      const next: SignOff = { ...prev, checked, title: who.title ?? prev?.title };
      if (checked) {
        next.by = who.by;
        next.at = who.at.toISOString();
      } else {
        delete next.by;
        delete next.at;
      }
      return next;
    });
  }

  async setNote(id: string, note: string | undefined, title?: string): Promise<SignOff> {
    return this.update(id, (prev) => {
      const next: SignOff = { checked: prev?.checked ?? false, ...prev, title: title ?? prev?.title };
      if (note && note.trim()) next.note = note.trim();
      else delete next.note;
      return next;
    });
  }

  /** Moves a corrupt file aside (never deletes it) so signing off can start again. Returns the new name. */
  async moveAside(now = new Date()): Promise<string> {
    const target = `${this.file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(this.file, target);
    await this.load();
    return target;
  }

  private async update(id: string, change: (prev: SignOff | undefined) => SignOff): Promise<SignOff> {
    const { text } = await this.readRaw();
    const parsed = parseStateText(text ?? '');
    if (parsed.state.corrupt || !parsed.raw) {
      this.loaded = { ...parsed.state, exists: text !== undefined };
      throw new StateFileCorruptError(this.file, parsed.state.corrupt ?? 'unreadable');
    }
    const raw = parsed.raw;
    const items = { ...((raw.items as Record<string, Json> | undefined) ?? {}) };
    const next = change(parsed.state.entries.get(id));
    items[id] = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as Json;
    // Sorted keys keep diffs of a committed sign-off file small and stable.
    const sorted = Object.fromEntries(Object.keys(items).sort().map((k) => [k, items[k]]));
    const out: RawFile = { ...raw, version: STATE_FILE_VERSION, items: sorted };
    await this.writeAtomically(`${JSON.stringify(out, null, 2)}\n`);
    this.loaded = { ...parseStateText(JSON.stringify(out)).state, exists: true };
    return next;
  }

  private async readRaw(): Promise<{ raw?: RawFile; text?: string }> {
    return readStateText(this.file);
  }

  private async writeAtomically(text: string): Promise<void> {
    await mkdirs(path.dirname(this.file));
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, text, 'utf8');
    try {
      await fs.rename(tmp, this.file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }
}
