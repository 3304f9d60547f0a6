// Fuzzing the whole pipeline a link or a file goes through: load (validation) → run → layout.
// Scenarios are random mutations of the built-in demos: point mutations (a string, a number, a
// deleted key, a copied op) and consistent renames of an id or variable to a name from
// Object.prototype (`constructor`, `toString`, `__proto__`…), in every string position.
// Used by src/fuzz/fuzz.test.ts (a short run inside `npm test`) and src/fuzz/run.ts (`npm run fuzz`).
import fc from 'fast-check';
import { DEMOS } from '../scenario/demos/index.ts';
import { loadText } from '../scenario/load.ts';
import { DEFAULT_LIMITS, runScenario, type TraceEntry } from '../engine/index.ts';
import { layoutGraph } from '../ui/graph/layout.ts';
import { universeOf } from '../ui/graph/universe.ts';

/** Every name Object.prototype has: each must be just a name wherever a scenario puts it. */
export const PROTO_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A path to a value (keys and indexes) and whether the string there is an object key. */
interface Spot {
  path: (string | number)[];
  key: boolean;
}

/** Every string position of a JSON value: string leaves and object keys. */
export function stringSpots(v: Json, path: (string | number)[] = [], out: Spot[] = []): Spot[] {
  if (typeof v === 'string') out.push({ path, key: false });
  else if (Array.isArray(v)) v.forEach((x, i) => stringSpots(x, [...path, i], out));
  else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push({ path: [...path, k], key: true });
      stringSpots(v[k], [...path, k], out);
    }
  }
  return out;
}

function parentOf(root: Json, path: (string | number)[]): Json {
  let v = root;
  for (const p of path.slice(0, -1)) v = (v as Record<string, Json>)[p as string];
  return v;
}

/** Put `value` at a string position (renaming the key in place, its order kept). */
export function setString(root: Json, spot: Spot, value: string): void {
  const parent = parentOf(root, spot.path) as Record<string, Json> | Json[];
  const last = spot.path[spot.path.length - 1];
  if (Array.isArray(parent)) {
    parent[last as number] = value;
    return;
  }
  if (!spot.key) {
    Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (last === value) return;
  const entries = Object.entries(parent).map(([k, v]) => [k === last ? value : k, v] as const);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Rename every occurrence of a string (keys and values) — an id or a variable, consistently. */
export function renameAll(v: Json, from: string, to: string): Json {
  if (typeof v === 'string') return v === from ? to : v;
  if (Array.isArray(v)) return v.map((x) => renameAll(x, from, to));
  if (v && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k === from ? to : k, { value: renameAll(x, from, to), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

/** Identifiers used in a scenario (ids, variables, routines): the candidates for a rename. */
export function identifiers(v: Json): string[] {
  const out = new Set<string>();
  for (const s of stringSpots(v)) {
    const parent = parentOf(v, s.path);
    const last = s.path[s.path.length - 1];
    const text = s.key ? String(last) : (parent as Record<string, string>)[last as string];
    if (typeof text === 'string' && /^[A-Za-z_]\w*$/.test(text) && !/^(STATUS|CR|CM|KE|GUID|PNP|IRP|POOL|ERROR|EventCategory)_?/.test(text)) out.add(text);
  }
  for (const k of ['format', 'title', 'description', 'machine', 'drivers', 'apps', 'timeline', 'schedule']) out.delete(k);
  return [...out].sort();
}

export const DEMO_SCENARIOS: readonly { id: string; json: Json }[] = DEMOS.map((d) => ({ id: d.id, json: d.scenario as Json }));

/** Ops of all demos, to copy into other routines. */
const OP_POOL: Json[] = (() => {
  const ops: Json[] = [];
  const visit = (v: Json) => {
    if (Array.isArray(v)) for (const x of v) {
      if (x && typeof x === 'object' && !Array.isArray(x) && ('call' in x || 'op' in x)) ops.push(x);
      visit(x);
    }
    else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  for (const d of DEMO_SCENARIOS) visit(d.json);
  return ops;
})();

type Mutation =
  | { k: 'rename'; pick: number; name: string }
  | { k: 'string'; pick: number; name: string }
  | { k: 'number'; pick: number; value: number }
  | { k: 'delete'; pick: number }
  | { k: 'copyOp'; pick: number; op: number; at: number }
  | { k: 'timeline'; pick: number; times: number };

const nameArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROTO_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('STATUS_UNSUCCESSFUL', 'NULL', 'ALL', 'root', '$Context', '$State', '', 'x', 'workitem:1', 'pool:1', 'heap:1', 'reg:io:1') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('rename' as const), pick: fc.nat(), name: fc.constantFrom(...PROTO_NAMES) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('string' as const), pick: fc.nat(), name: nameArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('number' as const), pick: fc.nat(), value: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.constantFrom(0, 1, 63, 64, 65, 1024, 1e9, -1, 0.5)) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('copyOp' as const), pick: fc.nat(), op: fc.nat(), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('timeline' as const), pick: fc.nat(), times: fc.integer({ min: 1, max: 20 }) }) },
);

function arrays(v: Json, path: (string | number)[] = [], out: { path: (string | number)[]; arr: Json[] }[] = []) {
  if (Array.isArray(v)) {
    out.push({ path, arr: v });
    v.forEach((x, i) => arrays(x, [...path, i], out));
  } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) arrays(x, [...path, k], out);
  return out;
}

function numbers(v: Json, out: { parent: Record<string, Json> | Json[]; key: string | number }[] = []) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x === 'number') out.push({ parent: v, key: i });
      else numbers(x, out);
    });
  }
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'number') out.push({ parent: v, key: k });
      else numbers(x, out);
    }
  }
  return out;
}

export function mutate(base: Json, m: Mutation): Json {
  let s = clone(base);
  switch (m.k) {
    case 'rename': {
      const ids = identifiers(s);
      if (ids.length) s = renameAll(s, ids[m.pick % ids.length], m.name);
      break;
    }
    case 'string': {
      const spots = stringSpots(s);
      if (spots.length) setString(s, spots[m.pick % spots.length], m.name);
      break;
    }
    case 'number': {
      const ns = numbers(s);
      if (ns.length) {
        const n = ns[m.pick % ns.length];
        (n.parent as Record<string, Json>)[n.key as string] = m.value;
      }
      break;
    }
    case 'delete': {
      const spots = stringSpots(s).filter((x) => x.key);
      if (spots.length) {
        const spot = spots[m.pick % spots.length];
        delete (parentOf(s, spot.path) as Record<string, Json>)[spot.path[spot.path.length - 1] as string];
      }
      break;
    }
    case 'copyOp': {
      const lists = arrays(s).filter((a) => a.arr.every((x) => x && typeof x === 'object' && !Array.isArray(x) && ('call' in x || 'op' in x)));
      if (lists.length && OP_POOL.length) {
        const list = lists[m.pick % lists.length].arr;
        list.splice(m.at % (list.length + 1), 0, clone(OP_POOL[m.op % OP_POOL.length]));
      }
      break;
    }
    case 'timeline': {
      const t = (s as Record<string, Json>).timeline;
      if (Array.isArray(t) && t.length) {
        const a = t[m.pick % t.length];
        for (let i = 0; i < m.times; i++) t.push(clone(a));
      }
      break;
    }
  }
  return s;
}

/** A fuzzed scenario: a demo and 1–4 mutations, as JSON text. */
export const scenarioArb: fc.Arbitrary<{ demo: string; text: string }> = fc
  .record({ demo: fc.nat({ max: DEMO_SCENARIOS.length - 1 }), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) })
  .map(({ demo, mutations }) => {
    const d = DEMO_SCENARIOS[demo];
    return { demo: d.id, text: JSON.stringify(mutations.reduce(mutate, d.json)) };
  });

export interface FuzzResult {
  /** 0 the scenario ran, 2 invalid (load or schedule errors), 1 an internal error (a bug). */
  exit: 0 | 1 | 2;
  problems: string[];
  entries: number;
  ms: number;
}

const REFERENCE = DEMO_SCENARIOS.find((d) => d.id === 'seed000-sync') ?? DEMO_SCENARIOS[0];
let referenceTrace: string | null = null;

function runText(text: string): { exit: 0 | 2; trace?: TraceEntry[]; layoutProblem?: string } {
  const loaded = loadText(text);
  if (!loaded.ok) return { exit: 2 };
  const outcome = runScenario(loaded.scenario);
  if (!outcome.ok) return { exit: 2 };
  let layoutProblem: string | undefined;
  const layout = layoutGraph(universeOf(loaded.scenario), true);
  for (const n of layout.nodes) {
    if (![n.x, n.y, n.w, n.h].every(Number.isFinite)) layoutProblem = `graph node ${n.id} has a position that is not finite (${n.x}, ${n.y}, ${n.w}×${n.h})`;
  }
  return { exit: 0, trace: outcome.trace, layoutProblem };
}

/** Load, run (twice) and lay out one scenario; then check the process is not poisoned. */
export function checkScenario(text: string): FuzzResult {
  const problems: string[] = [];
  const t0 = performance.now();
  let first: ReturnType<typeof runText>;
  try {
    first = runText(text);
  } catch (e) {
    return { exit: 1, problems: [`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`], entries: 0, ms: performance.now() - t0 };
  }
  const ms = performance.now() - t0;
  const trace = first.trace ?? [];
  if (first.trace) {
    const halts = trace.filter((e) => e.type === 'halt');
    if (halts.length !== 1 || trace.at(-1)?.type !== 'halt') problems.push(`expected exactly one halt, last; got ${halts.length}`);
    if (trace.length > DEFAULT_LIMITS.maxEntries) problems.push(`${trace.length} entries, over the limit of ${DEFAULT_LIMITS.maxEntries}`);
    if (!trace.every((e, i) => e.seq === i)) problems.push('seq is not 0, 1, 2…');
    if (first.layoutProblem) problems.push(first.layoutProblem);
    // Determinism: the same scenario in the same process gives the same trace.
    const again = runText(text).trace ?? [];
    if (again.length !== trace.length || JSON.stringify(again) !== JSON.stringify(trace)) problems.push('a second run gave another trace');
  }
  // No poisoning: a reference demo still gives its trace.
  const ref = JSON.stringify(runText(JSON.stringify(REFERENCE.json)).trace);
  referenceTrace ??= ref;
  if (ref !== referenceTrace) problems.push(`after this scenario, ${REFERENCE.id} gives another trace: the process was poisoned`);
  if (Object.getOwnPropertyNames(Object.prototype).length !== PROTO_NAMES.length) problems.push('Object.prototype gained a property');
  return { exit: problems.some((p) => p.startsWith('internal')) ? 1 : first.exit, problems, entries: trace.length, ms };
}

/** Every Object.prototype name in every string position of a demo (renamed there alone). */
export function* protoSweep(demoIds?: readonly string[]): Generator<{ demo: string; text: string }> {
  for (const d of DEMO_SCENARIOS) {
    if (demoIds && !demoIds.includes(d.id)) continue;
    const spots = stringSpots(d.json);
    for (let i = 0; i < spots.length; i++) {
      for (const name of PROTO_NAMES) yield { demo: d.id, text: JSON.stringify(mutate(d.json, { k: 'string', pick: i, name })) };
    }
    for (const id of identifiers(d.json)) {
      for (const name of PROTO_NAMES) yield { demo: d.id, text: JSON.stringify(renameAll(d.json, id, name)) };
    }
  }
}
