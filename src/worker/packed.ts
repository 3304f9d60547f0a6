// A worker message as text, for a message the build computes and the page carries (the default
// first visit's answer, src/worker/firstAnswer.ts): JSON, with typed arrays tagged. A Uint8Array
// that holds UTF-8 text (the encoded trace's JSON Lines) travels as that text, anything else as its
// numbers. What JSON cannot carry as postMessage would (undefined, NaN, −0, Map, Set, Date, a
// function) is refused, so the carried message is exactly the one the worker would have posted.

const TAG = '$typedArray';

const TYPED = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

interface Tagged {
  [TAG]: TypedName;
  /** A Uint8Array's bytes as UTF-8 text. */
  text?: string;
  values?: number[];
}

const isTypedName = (name: string): name is TypedName => Object.hasOwn(TYPED, name);

function utf8(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const again = new TextEncoder().encode(text);
    return again.length === bytes.length && again.every((b, i) => b === bytes[i]) ? text : null;
  } catch {
    return null;
  }
}

/** The message as text; throws on a value that would not come back as it was. */
export function packMessage(message: unknown): string {
  return JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    const at = key === '' ? 'the message' : JSON.stringify(key);
    const original = this[key];
    if (typeof original === 'object' && original !== null && typeof (original as { toJSON?: unknown }).toJSON === 'function') {
      throw new Error(`packMessage: ${at} is a ${original.constructor?.name ?? 'object'} (toJSON), which postMessage would carry otherwise`);
    }
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      throw new Error(`packMessage: ${at} is ${typeof value}, which JSON does not carry`);
    }
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) throw new Error(`packMessage: ${at} is ${value}, which JSON does not carry`);
    if (typeof value !== 'object' || value === null) return value;
    if (ArrayBuffer.isView(value)) {
      const view = value as ArrayBufferView & { constructor: { name: string } };
      const name = view.constructor.name;
      if (!isTypedName(name) || view.constructor !== TYPED[name]) throw new Error(`packMessage: ${at} is a ${name}`);
      if (name === 'Uint8Array') {
        const text = utf8(view as Uint8Array);
        if (text !== null) return { [TAG]: name, text };
      }
      return { [TAG]: name, values: Array.from(view as unknown as ArrayLike<number>) };
    }
    if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      throw new Error(`packMessage: ${at} is a ${(value as object).constructor?.name ?? 'object'}, which JSON does not carry`);
    }
    if (Object.hasOwn(value, TAG)) throw new Error(`packMessage: ${at} has a key ${TAG}`);
    return value;
  });
}

/** The message packMessage packed, as postMessage would have delivered it (typed arrays included). */
export function unpackMessage(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, TAG)) return value;
    const tagged = value as Tagged;
    const name = tagged[TAG];
    if (!isTypedName(name)) throw new Error(`unpackMessage: unknown typed array ${String(name)}`);
    if (typeof tagged.text === 'string' && name === 'Uint8Array') return new TextEncoder().encode(tagged.text);
    if (!Array.isArray(tagged.values)) throw new Error(`unpackMessage: a ${name} without values`);
    return TYPED[name].from(tagged.values);
  });
}
