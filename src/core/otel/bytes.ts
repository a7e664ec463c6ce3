import type { OtelDiagnostic, ValidateOptions, ValidationResult } from './api';
import { validateConfigText } from './validate';
import { LineIndex } from './toml';

/** A file's bytes as text, and where the first byte that is not UTF-8 sits (TOML files must be UTF-8). */
export function decodeConfigBytes(bytes: Uint8Array): { text: string; invalidUtf8At?: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
    const at = text.indexOf('\uFFFD');
    return { text, invalidUtf8At: at < 0 ? 0 : at };
  }
}

/** Like validateConfigText, for raw file contents: invalid UTF-8 is an error of its own, and the rest is still checked. */
export function validateConfigBytes(bytes: Uint8Array, options: ValidateOptions): ValidationResult {
  const { text, invalidUtf8At } = decodeConfigBytes(bytes);
  const result = validateConfigText(text, options);
  if (invalidUtf8At !== undefined) {
    const lines = new LineIndex(text);
    const diag: OtelDiagnostic = {
      severity: 'error',
      code: 'toml/invalid-utf8',
      message: `config.toml is not valid UTF-8 (first bad byte here): TOML files must be UTF-8. ${
        options.dialect === 'codex' ? 'Upstream codex cannot read the file.' : 'Code (Beacon) refuses to start with this config.'
      }`,
      range: lines.range(invalidUtf8At, invalidUtf8At + 1),
    };
    result.diagnostics.unshift(diag);
  }
  return result;
}
