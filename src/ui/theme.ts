// Light and dark themes: the user's choice (kept in localStorage) or, by default, the system's
// (prefers-color-scheme, followed live). The resolved theme is the `dark` class on <html>, which
// Tailwind's `dark:` variant keys on (src/index.css), plus `color-scheme` for native controls.
import { useSyncExternalStore } from 'react';

export type ThemePreference = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

const KEY = 'pnp-playground:theme';
const listeners = new Set<() => void>();

function readPreference(): ThemePreference {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

let preference: ThemePreference = readPreference();
let theme: Theme = resolve(preference);

function resolve(p: ThemePreference): Theme {
  if (p !== 'system') return p;
  return media?.matches ? 'dark' : 'light';
}

function apply() {
  theme = resolve(preference);
  if (typeof document !== 'undefined') {
    const root = document.documentElement;
    root.classList.toggle('dark', theme === 'dark');
    root.style.colorScheme = theme;
  }
  for (const l of listeners) l();
}

media?.addEventListener('change', () => {
  if (preference === 'system') apply();
});
apply();

export function setThemePreference(p: ThemePreference): void {
  preference = p;
  try {
    if (p === 'system') globalThis.localStorage?.removeItem(KEY);
    else globalThis.localStorage?.setItem(KEY, p);
  } catch {
    // storage disabled: the choice lasts for this page
  }
  apply();
}

/** Flip between light and dark (an explicit choice from then on). */
export function toggleTheme(): void {
  setThemePreference(theme === 'dark' ? 'light' : 'dark');
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The resolved theme, re-rendering on change. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => theme, () => 'light');
}
