import { describe, expect, it } from 'vitest';
import { DEMOS } from '../../scenario/demos/index.ts';
import { scenarioToHash, MAX_LINK_CHARS } from '../../scenario/codec.ts';
import type { Scenario } from '../../scenario/types.ts';
import { filterDemos, groupDemos, type GalleryDemo } from './groups.ts';

const d = (id: string, seed: string, tags: string[]): GalleryDemo => ({ id, seed, title: id, description: `about ${id}`, tags, scenario: {} }) as GalleryDemo;

describe('groupDemos', () => {
  it('groups by seed with the seed page titles, then the documented mistakes', () => {
    const groups = groupDemos([d('a', '000', ['guided']), d('b', '002', ['mistake']), d('c', '002', ['guided', 'mistake']), d('e', '004', [])]);
    expect(groups.map((g) => [g.id, g.title, g.demos.map((x) => x.id)])).toEqual([
      ['000', '000 · Registering for Synchronous Driver Notification', ['a']],
      ['002', '002 · Registering for device interface arrival and device removal', ['c']],
      ['004', '004 · IoReportTargetDeviceChangeAsynchronous function (wdm.h)', ['e']],
      ['mistakes', 'Documented mistakes', ['b']],
    ]);
  });

  it('puts every built-in demo somewhere, in gallery order', () => {
    const groups = groupDemos(DEMOS);
    const listed = new Set(groups.flatMap((g) => g.demos.map((x) => x.id)));
    expect([...listed].sort()).toEqual(DEMOS.map((x) => x.id).sort());
    expect(groups.map((g) => g.id)).toEqual(['000', '001', '002', '003', '004', 'mistakes']);
  });

  it('every built-in demo has a link short enough to paste (docs/architecture.md: under 2,000 characters)', () => {
    for (const demo of DEMOS) {
      const link = `https://example.org/${scenarioToHash(demo.scenario as Scenario)}`;
      expect(link.length, demo.id).toBeLessThan(MAX_LINK_CHARS);
    }
  });
});

describe('filterDemos', () => {
  const demos = [d('seed002-surprise', '002', ['guided']), d('mistake-cm-6', '002', ['mistake'])];
  it('matches every word, case-insensitively, in title, description, id, seed and tags', () => {
    expect(filterDemos(demos, '').length).toBe(2);
    expect(filterDemos(demos, '  SURPRISE ').map((x) => x.id)).toEqual(['seed002-surprise']);
    expect(filterDemos(demos, 'mistake 002').map((x) => x.id)).toEqual(['mistake-cm-6']);
    expect(filterDemos(demos, 'nothing here')).toEqual([]);
  });
});

describe('the built-in demos in the gallery', () => {
  it('have distinct titles (each card’s “Open …” button has its own accessible name)', () => {
    expect(new Set(DEMOS.map((x) => x.title)).size).toBe(DEMOS.length);
  });
});
