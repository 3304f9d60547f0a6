// The gallery's sections: one per seed document (000 … 004, with the Microsoft page's English
// title), then "Documented mistakes". A demo tagged `guided` belongs to its seed's walk-through; a
// demo tagged `mistake` only is listed under the mistakes; one tagged both is listed once, in its
// seed's walk-through (its card carries the "mistake" badge). A demo with neither tag goes to its
// seed. Pure.
import { SEED_DOCS, type SeedId } from '../../engine/rules/catalog.ts';
import type { Demo } from '../../scenario/demos/index.ts';

/** What the gallery needs of a demo. */
export type GalleryDemo = Pick<Demo, 'id' | 'seed' | 'title' | 'description' | 'tags' | 'scenario'> & Partial<Pick<Demo, 'interleavings'>>;

export interface DemoGroup<D extends GalleryDemo = GalleryDemo> {
  id: SeedId | 'mistakes';
  title: string;
  /** A line under the title. */
  subtitle?: string;
  demos: D[];
}

const SEEDS: SeedId[] = ['000', '001', '002', '003', '004'];

export const isSeed = (s: string): s is SeedId => (SEEDS as string[]).includes(s);

export function groupDemos<D extends GalleryDemo>(demos: readonly D[]): DemoGroup<D>[] {
  const groups: DemoGroup<D>[] = SEEDS.map((seed) => ({ id: seed, title: `${seed} · ${SEED_DOCS[seed].title}`, demos: [] }));
  const mistakes: DemoGroup<D> = {
    id: 'mistakes',
    title: 'Documented mistakes',
    subtitle: 'Code that breaks a documented rule, and what the system does about it.',
    demos: [],
  };
  for (const d of demos) {
    const guided = d.tags.includes('guided');
    const mistake = d.tags.includes('mistake');
    if (guided || !mistake) groups.find((g) => g.id === d.seed)?.demos.push(d);
    else mistakes.demos.push(d);
  }
  return [...groups, mistakes].filter((g) => g.demos.length > 0);
}

/** Demos whose title, description, id, seed or rule ids mention every word of `query` (case-insensitive). */
export function filterDemos<D extends GalleryDemo>(demos: readonly D[], query: string): D[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...demos];
  return demos.filter((d) => {
    const hay = `${d.title}\n${d.description}\n${d.id}\n${d.seed}\n${d.tags.join(' ')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
