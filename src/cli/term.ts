import { colourSequence } from '../core/terminalText';
/**
 * How the CLI dresses its human output for the place it goes: colour only on a
 * terminal (NO_COLOR and FORCE_COLOR honoured), tables cut to the terminal's
 * width only on a terminal and never with --wide.
 */

/** What stdout is, as the entry point sees it; absent means not a terminal. */
export interface TerminalInfo {
  isTTY: boolean;
  /** Width in columns, when the terminal says. */
  columns?: number;
}

/**
 * Colour or not. NO_COLOR set to anything non-empty wins (https://no-color.org);
 * then FORCE_COLOR (anything but "0" or "false" forces it on, those force it off);
 * else colour exactly when stdout is a terminal that is not TERM=dumb.
 */
export function useColor(terminal: TerminalInfo | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return terminal?.isTTY === true && env.TERM !== 'dumb';
}

/** The width to cut table rows at, or undefined for no cutting (not a terminal, --wide, or width unknown). */
export function cutWidth(terminal: TerminalInfo | undefined, wide: boolean): number | undefined {
  if (wide || terminal?.isTTY !== true) return undefined;
  const columns = terminal.columns;
  return columns !== undefined && Number.isFinite(columns) && columns >= 20 ? columns : undefined;
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
export type Style = keyof typeof CODES;

export interface Painter {
  readonly enabled: boolean;
  paint(style: Style, text: string): string;
}

export function painter(enabled: boolean): Painter {
  return {
    enabled,
    paint: (style, text) => (enabled && text ? `${colourSequence(CODES[style])}${text}${colourSequence(0)}` : text),
  };
}

/** The painter for stdout of a command run with `io`. */
export function stdoutPainter(io: { terminal?: TerminalInfo; env: NodeJS.ProcessEnv }): Painter {
  return painter(useColor(io.terminal, io.env));
}

/** Cuts `text` to `width` characters with an ellipsis; unchanged when `width` is undefined or it fits. */
export function cut(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  const chars = [...text];
  if (chars.length <= width) return text;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
