import type { ErrorObject, ValidateFunction } from 'ajv';
import { beacon as beaconValidator, codex as codexValidator } from './generated/schemaValidators';
import beaconSchema from '../../../schemas/otel-beacon.schema.json';
import codexSchema from '../../../schemas/otel-codex.schema.json';
import type { Dialect } from './api';

/**
 * The structural rules of `[otel]` live in two JSON Schema files (one per
 * dialect) that Even Better TOML also reads through `contributes.tomlValidation`.
 * This module applies them with validators ajv compiled from them at build time
 * (scripts/gen-schema-validators.mjs, output in ./generated) and lets the other
 * rules (unknown keys, hover, completion) walk the same data instead of
 * restating it.
 */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  if?: SchemaNode;
  then?: SchemaNode;
  else?: SchemaNode;
  maxProperties?: number;
  minProperties?: number;
  definitions?: Record<string, SchemaNode>;
}

const ROOTS: Record<Dialect, SchemaNode> = {
  beacon: beaconSchema as unknown as SchemaNode,
  codex: codexSchema as unknown as SchemaNode,
};

export function rootSchema(dialect: Dialect): SchemaNode {
  return ROOTS[dialect];
}

/** Precompiled: compiling at run time cost ~100 ms on the first validation of a process, and ajv in every bundle. */
const VALIDATORS: Record<Dialect, ValidateFunction> = { beacon: beaconValidator, codex: codexValidator };

export function schemaValidator(dialect: Dialect): ValidateFunction {
  return VALIDATORS[dialect];
}

export type SchemaError = ErrorObject;

function deref(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  let cur = node;
  for (let hops = 0; cur?.$ref && hops < 10; hops++) {
    const m = /^#\/definitions\/(.+)$/.exec(cur.$ref);
    cur = m ? root.definitions?.[m[1]] : undefined;
  }
  return cur;
}

/** What hover shows for a key: the description next to the `$ref` wins over the shared one. */
export interface SchemaInfo {
  node: SchemaNode;
  description?: string;
  default?: unknown;
}

/**
 * The schema of the value at `path` (e.g. `['otel', 'exporter', 'otlp-http', 'protocol']`),
 * following `properties`, the exporter table's kinds (`else.properties`) and map values.
 */
export function schemaAt(dialect: Dialect, path: readonly string[]): SchemaInfo | undefined {
  const root = ROOTS[dialect];
  let info: SchemaInfo = { node: root, description: root.description };
  for (const seg of path) {
    const node = info.node;
    const next = node.properties?.[seg] ?? node.else?.properties?.[seg] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    if (!next) return undefined;
    const target = deref(root, next);
    if (!target) return undefined;
    info = { node: target, description: next.description ?? target.description, default: next.default ?? target.default };
  }
  return info;
}

/** Keys a table at `path` may hold, and whether it is a free-form map (headers). */
export function knownKeys(dialect: Dialect, path: readonly string[]): { keys: string[]; map: boolean; closed: boolean } | undefined {
  const info = schemaAt(dialect, path);
  if (!info) return undefined;
  const n = info.node;
  const props = { ...(n.properties ?? {}), ...(n.else?.properties ?? {}) };
  return {
    keys: Object.keys(props),
    map: typeof n.additionalProperties === 'object',
    closed: n.additionalProperties === false || n.else?.additionalProperties === false,
  };
}

/** The exporter kinds and bare strings a dialect accepts. */
export function exporterForms(dialect: Dialect): { strings: string[]; tables: string[] } {
  const info = schemaAt(dialect, ['otel', 'exporter']);
  const strings = (info?.node.then?.enum ?? []).filter((v): v is string => typeof v === 'string');
  const tables = Object.keys(info?.node.else?.properties ?? {});
  return { strings, tables };
}
