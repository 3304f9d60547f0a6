import { describe, expect, it, vi } from 'vitest';
import { deflateSync } from 'fflate';
import type { Migration, JsonObject } from './migrations.ts';

// A fake format v0 ("name" instead of "title", "cpus" instead of machine.processors) and its step to
// v1. The real chain is empty today; these prove the mechanism the v1→v2 step will use.
const v0ToV1: Migration = {
  from: 'pnp-scenario/0',
  to: 'pnp-scenario/1',
  up: (v0) => {
    const { name, cpus, ...rest } = v0;
    return { ...rest, title: name, machine: { processors: cpus } };
  },
};

// End to end: links go through migrate(); here migrate() also knows the fake v0 step, so a v0 link
// must open (and say it was migrated). Everything else in this file uses the real module.
vi.mock('./migrations.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('./migrations.ts')>();
  return { ...real, migrate: (raw: unknown) => real.migrateWith([v0ToV1], raw) };
});

const { MIGRATIONS, formatVersion, migrateWith } = await vi.importActual<typeof import('./migrations.ts')>('./migrations.ts');
const realMigrate = (raw: unknown) => migrateWith(MIGRATIONS, raw);
const { decodeHash, base64urlEncode } = await import('./codec.ts');
const { load, loadText } = await import('./load.ts');
const { main: linkMain } = await import('../cli/link.ts');

describe('migrate (the real chain)', () => {
  it('leaves a v1 scenario untouched (identity)', () => {
    const raw = { format: 'pnp-scenario/1', title: 't' };
    const r = realMigrate(raw);
    expect(r).toEqual({ ok: true, value: raw, from: 'pnp-scenario/1' });
    expect(r.ok && r.value).toBe(raw);
  });

  it('has no steps while v1 is the current format', () => {
    expect(MIGRATIONS).toEqual([]);
  });

  it.each([null, 42, 'text', [], {}, { format: 3 }, { format: 'pnp-scenario/x' }, { format: 'pnp-scenario/01' }, { format: 'other/1' }])(
    'passes %j through for load() to report',
    (raw) => {
      expect(realMigrate(raw)).toEqual({ ok: true, value: raw, from: 'pnp-scenario/1' });
    },
  );

  it.each(['pnp-scenario/2', 'pnp-scenario/7', 'pnp-scenario/123456789'])('recognises %s as made by a newer version', (format) => {
    const r = realMigrate({ format });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('newer-version');
    expect(r.error.path).toBe('/format');
    expect(r.error.message).toContain('made by a newer version of the playground');
  });

  it('refuses an older format it has no step from', () => {
    const r = realMigrate({ format: 'pnp-scenario/0' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unsupported-version', path: '/format' } });
  });

  it('formatVersion reads pnp-scenario/<n> only', () => {
    expect(formatVersion('pnp-scenario/1')).toBe(1);
    expect(formatVersion('pnp-scenario/42')).toBe(42);
    expect(formatVersion('pnp-scenario/')).toBeUndefined();
    expect(formatVersion('pnp-scenario/1.5')).toBeUndefined();
    expect(formatVersion(1)).toBeUndefined();
  });
});

describe('migrateWith (the mechanism, with injected steps)', () => {
  it('runs a v0 → v1 step and reports where it started', () => {
    const r = migrateWith([v0ToV1], { format: 'pnp-scenario/0', name: 'old', cpus: 2 });
    expect(r).toEqual({ ok: true, from: 'pnp-scenario/0', value: { format: 'pnp-scenario/1', title: 'old', machine: { processors: 2 } } });
  });

  it('produces what load() accepts', () => {
    const r = migrateWith([v0ToV1], { format: 'pnp-scenario/0', name: 'old', cpus: 2 });
    const loaded = load(r.ok ? r.value : undefined);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.scenario).toMatchObject({ title: 'old', machine: { processors: 2 } });
  });

  it('chains steps in version order whatever the array order', () => {
    const seen: string[] = [];
    const step = (from: number, to: number): Migration => ({
      from: `pnp-scenario/${from}`,
      to: `pnp-scenario/${to}`,
      up: (v) => (seen.push(`${from}→${to}`), { ...v, [`v${to}`]: true }),
    });
    const chain = [step(2, 3), step(0, 1), step(1, 2)];
    const r = migrateWith(chain, { format: 'pnp-scenario/0' }, 'pnp-scenario/3');
    expect(seen).toEqual(['0→1', '1→2', '2→3']);
    expect(r).toEqual({ ok: true, from: 'pnp-scenario/0', value: { format: 'pnp-scenario/3', v1: true, v2: true, v3: true } });
    // Starting in the middle runs only the rest.
    seen.length = 0;
    expect(migrateWith(chain, { format: 'pnp-scenario/2' }, 'pnp-scenario/3').ok).toBe(true);
    expect(seen).toEqual(['2→3']);
  });

  it('sets format to the step target even when a step forgets to', () => {
    const forgetful: Migration = { from: 'pnp-scenario/0', to: 'pnp-scenario/1', up: (v) => ({ ...v, format: 'pnp-scenario/0' }) };
    const r = migrateWith([forgetful], { format: 'pnp-scenario/0' });
    expect(r.ok && (r.value as JsonObject).format).toBe('pnp-scenario/1');
  });

  it('refuses a gap in the chain', () => {
    const r = migrateWith([v0ToV1], { format: 'pnp-scenario/0' }, 'pnp-scenario/2');
    expect(r).toMatchObject({ ok: false, error: { kind: 'unsupported-version' } });
    if (!r.ok) expect(r.error.message).toContain('no migration from pnp-scenario/1 to pnp-scenario/2');
  });

  it('stops on a chain that goes round in circles', () => {
    const loop: Migration[] = [
      { from: 'pnp-scenario/0', to: 'pnp-scenario/1', up: (v) => v },
      { from: 'pnp-scenario/1', to: 'pnp-scenario/0', up: (v) => v },
    ];
    expect(migrateWith(loop, { format: 'pnp-scenario/0' }, 'pnp-scenario/2')).toMatchObject({ ok: false, error: { kind: 'unsupported-version' } });
  });

  it('turns a throwing step or a non-object result into a failure, never an exception', () => {
    const throws: Migration = {
      from: 'pnp-scenario/0',
      to: 'pnp-scenario/1',
      up: () => {
        throw new Error('boom');
      },
    };
    const r = migrateWith([throws], { format: 'pnp-scenario/0' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'failed' } });
    if (!r.ok) expect(r.error.message).toContain('boom');
    const bad: Migration = { from: 'pnp-scenario/0', to: 'pnp-scenario/1', up: () => [] as unknown as JsonObject };
    expect(migrateWith([bad], { format: 'pnp-scenario/0' })).toMatchObject({ ok: false, error: { kind: 'failed' } });
  });

  it('keeps an own "__proto__" key as data and pollutes nothing', () => {
    const raw = JSON.parse('{"format":"pnp-scenario/0","__proto__":{"polluted":true}}') as JsonObject;
    const r = migrateWith([v0ToV1], raw);
    expect(r.ok).toBe(true);
    const value = (r.ok ? r.value : {}) as JsonObject;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a link in an older format', () => {
  const v0Link = (scenario: object) => `#s1.${base64urlEncode(deflateSync(new TextEncoder().encode(JSON.stringify(scenario)), { level: 9 }))}`;

  it('opens through the chain and says where it came from', () => {
    const r = decodeHash(`${v0Link({ format: 'pnp-scenario/0', name: 'From v0', cpus: 3 })}&step=4`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe('pnp-scenario/0');
    expect(r.step).toBe(4);
    expect(r.scenario.title).toBe('From v0');
    expect(r.scenario.machine.processors).toBe(3);
  });

  it('a current-format link has no migratedFrom', () => {
    const r = decodeHash(v0Link({ format: 'pnp-scenario/1', title: 'now' }));
    expect(r.ok).toBe(true);
    expect(r.ok && r.migratedFrom).toBeUndefined();
  });

  it('an unrecognisable format is left to load(), which reports it at /format', () => {
    const r = decodeHash(v0Link({ format: 'pnp-scenario/-1' }));
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    if (!r.ok) expect(r.error.errors?.some((e) => e.path === '/format')).toBe(true);
  });

  it('a migrated scenario is still validated', () => {
    const r = decodeHash(v0Link({ format: 'pnp-scenario/0', name: 'bad', cpus: 'many' }));
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    if (!r.ok) expect(r.error.errors?.some((e) => e.path.startsWith('/machine/processors'))).toBe(true);
  });
});

describe('every way in migrates (one load)', () => {
  const v0 = { format: 'pnp-scenario/0', name: 'From v0', cpus: 2 };

  it('load and loadText (the worker, the editor, file import, simulate) migrate and say from where', () => {
    for (const r of [load(v0), loadText(JSON.stringify(v0))]) {
      expect(r).toMatchObject({ ok: true, migratedFrom: 'pnp-scenario/0', scenario: { title: 'From v0', machine: { processors: 2 } } });
    }
    const current = load({ format: 'pnp-scenario/1' });
    expect(current.ok && current.migratedFrom).toBeUndefined();
  });

  it('the link command prints the same link for the v0 file as for its migrated v1 form', () => {
    const out: string[] = [];
    const linkOf = (text: string) => {
      out.length = 0;
      const code = linkMain(['x.json'], { readFile: () => text, readStdin: () => '', out: (l) => out.push(l), err: () => {} });
      return [code, out[0]];
    };
    const [code, fromV0] = linkOf(JSON.stringify(v0));
    expect(code).toBe(0);
    expect(linkOf(JSON.stringify({ format: 'pnp-scenario/1', title: 'From v0', machine: { processors: 2 } }))).toEqual([0, fromV0]);
  });
});
