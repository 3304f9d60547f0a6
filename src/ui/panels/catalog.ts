// The rule catalogue on the page, loaded on demand: its long texts (explanations, provenance notes)
// are not needed to draw the first screen, so they are not in the page's first download. The
// Explanation panel asks for it when it first shows; it is a local file, so it is there at once.
import { useEffect, useSyncExternalStore } from 'react';

export type Catalog = typeof import('../../engine/rules/catalog.ts');

let loaded: Catalog | null = null;
let loading: Promise<Catalog> | null = null;
const listeners = new Set<() => void>();

/** Fetch the catalogue (once; a failed fetch is retried on the next call). */
export function loadCatalog(): Promise<Catalog> {
  loading ??= import('../../engine/rules/catalog.ts').then(
    (m) => {
      loaded = m;
      for (const l of listeners) l();
      return m;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};

/** The catalogue, or null until it has loaded (the component re-renders then). */
export function useCatalog(): Catalog | null {
  const catalog = useSyncExternalStore(subscribe, () => loaded, () => loaded);
  useEffect(() => {
    if (!loaded) loadCatalog().catch(() => undefined);
  }, []);
  return catalog;
}
