// Old links keep opening, forever. The links in fixtures/golden-links.json are literal strings made
// once by link codec v1; this test only ever DECODES them (it never re-encodes a source to compare
// the encoder with itself), then checks the key facts of what opened.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import { decodeHash, scenarioToHash } from './codec.ts';
import { load } from './load.ts';
import type { ControlOp, NormalizedScenario, Op, RoutineBody } from './types.ts';
import golden from './fixtures/golden-links.json' with { type: 'json' };

interface Facts {
  title: string;
  description?: string;
  processors: number;
  maxProcessors: number;
  /** Component id → its routine names, in order. */
  drivers: Record<string, string[]>;
  apps: Record<string, string[]>;
  devices: unknown[];
  memory: unknown[];
  /** The verbs of the timeline, in order. */
  timeline: string[];
  /** How many timeline actions are concurrent. */
  concurrent: number;
  /** The `during` of each timeline action that has one, in order. */
  during?: unknown[];
  schedule: unknown[];
  /** Every note op's text, in document order. */
  notes?: string[];
  /** Every API call, in document order. */
  calls?: string[];
  timelineNotes?: string[];
  step?: number;
}

interface GoldenLink {
  name: string;
  source?: string;
  link: string;
  expect: Facts;
}

const LINKS = golden.links as unknown as GoldenLink[];

function opsOf(body: RoutineBody): Op[] {
  return Array.isArray(body) ? body : [...Object.values(body.cases).flat(), ...(body.default ?? [])];
}

/** Every op in the scenario, nested ones included, in document order. */
function allOps(s: NormalizedScenario): Op[] {
  const out: Op[] = [];
  const walk = (ops: Op[]) => {
    for (const op of ops) {
      out.push(op);
      const ctl = 'op' in op ? (op as ControlOp) : undefined;
      if (ctl?.op === 'if') walk([...ctl.then, ...(ctl.else ?? [])]);
      if (ctl?.op === 'forEach') walk(ctl.do);
    }
  };
  for (const c of [...Object.values(s.drivers), ...Object.values(s.apps)]) for (const body of Object.values(c.routines)) walk(opsOf(body));
  return out;
}

const routineNames = (components: NormalizedScenario['drivers']) =>
  Object.fromEntries(Object.entries(components).map(([id, c]) => [id, Object.keys(c.routines)]));

function open(link: string) {
  const r = decodeHash(link);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message} ${JSON.stringify(r.error.errors ?? [])}`);
  return r;
}

describe('golden v1 links', () => {
  it('has links to check', () => {
    expect(LINKS.length).toBeGreaterThanOrEqual(5);
    // Links whose schedule addresses choice points stably (docs/scenario-format.md §5) must keep opening and running.
    expect(LINKS.filter((g) => g.expect.schedule.some((o) => (o as { step?: number }).step !== undefined)).length).toBeGreaterThanOrEqual(2);
    for (const g of LINKS) expect(g.link).toMatch(/^#s1\.[A-Za-z0-9_-]+(&step=\d+)?$/);
  });

  describe.each(LINKS.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    it('opens', () => {
      const r = open(g.link);
      expect(r.migratedFrom).toBeUndefined();
      expect(r.step).toBe(g.expect.step);
    });

    it('opens to the scenario it was made from', () => {
      const { scenario: s } = open(g.link);
      const f = g.expect;
      expect(s.format).toBe('pnp-scenario/1');
      expect(s.title).toBe(f.title);
      if (f.description !== undefined) expect(s.description).toBe(f.description);
      expect(s.machine.processors).toBe(f.processors);
      expect(s.machine.maxProcessors).toBe(f.maxProcessors);
      expect(s.machine.devices).toEqual(f.devices);
      expect(s.machine.memory).toEqual(f.memory);
      expect(routineNames(s.drivers)).toEqual(f.drivers);
      expect(routineNames(s.apps)).toEqual(f.apps);
      expect(s.timeline.map((a) => a.do)).toEqual(f.timeline);
      expect(s.timeline.filter((a) => a.concurrent).length).toBe(f.concurrent);
      if (f.during) expect(s.timeline.flatMap((a) => (a.during ? [a.during] : []))).toEqual(f.during);
      expect(s.schedule).toEqual(f.schedule);
      const ops = allOps(s);
      if (f.notes) expect(ops.flatMap((op) => ('op' in op && (op as ControlOp).op === 'note' ? [(op as { text: string }).text] : []))).toEqual(f.notes);
      if (f.calls) expect(ops.flatMap((op) => ('call' in op ? [op.call] : []))).toEqual(f.calls);
      if (f.timelineNotes) expect(s.timeline.flatMap((a) => (a.note !== undefined ? [a.note] : []))).toEqual(f.timelineNotes);
      if (g.source) {
        const source = load(JSON.parse(readFileSync(new URL(`./fixtures/golden/${g.source}`, import.meta.url), 'utf8')));
        expect(source.ok && source.scenario).toEqual(s);
      }
    });

    it('runs with its schedule: every stable override is applied at its choice point', () => {
      const { scenario: s } = open(g.link);
      const stable = s.schedule.filter((o) => o.step !== undefined);
      if (stable.length === 0) return;
      const out = runScenario(s);
      if (!out.ok) throw new Error(out.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
      for (const o of stable) expect(out.choices.find((c) => c.step === o.step && c.choice === o.choice)?.chosen).toBe(o.run);
    });

    it('runs: every action armed with `during` starts', () => {
      const { scenario: s } = open(g.link);
      if (!s.timeline.some((a) => a.during)) return;
      const out = runScenario(s);
      if (!out.ok) throw new Error(out.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
      const started = new Set(out.trace.flatMap((e) => (e.type === 'action' ? [e.index] : [])));
      s.timeline.forEach((_a, i) => expect(started.has(i), `timeline/${i}`).toBe(true));
    });

    it('re-encodes stably', () => {
      const first = open(g.link);
      const again = scenarioToHash(first.scenario, first.step);
      const second = open(again);
      expect(second.scenario).toEqual(first.scenario);
      expect(second.step).toBe(first.step);
      expect(scenarioToHash(second.scenario, second.step)).toBe(again);
    });
  });
});
