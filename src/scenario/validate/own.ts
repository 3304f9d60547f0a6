// Own-property helpers: validation reads own properties only (never an inherited `constructor`),
// and every map it builds from scenario ids is a null-prototype object.
import { ID_PATTERN } from '../types.ts';
import { dict } from '../../engine/dict.ts';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** An own property, or undefined (never an inherited one such as `constructor`). */
export const own = (o: Obj, k: string): unknown => (has(o, k) ? o[k] : undefined);

/** Own enumerable string keys. */
export const keysOf = (o: Obj): string[] => Object.keys(o);

/** A null-prototype shallow copy of the own enumerable properties, safe to hand to zod. */
export function ownCopy(o: Obj): Obj {
  const c = Object.create(null) as Obj;
  for (const k of keysOf(o)) c[k] = o[k];
  return c;
}

/** A plain copy of an array's elements (no species or iterator lookups on hostile arrays). */
export function copyArray(a: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]);
  return out;
}

/** A null-prototype map, for ids chosen by the scenario. */
export const makeMap = dict;

export const isIdentifier = (s: unknown): s is string => typeof s === 'string' && ID_PATTERN.test(s);

export const ID_HINT = '[A-Za-z_][A-Za-z0-9_]{0,63}';
