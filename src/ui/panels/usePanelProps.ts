// The props every panel gets (panels/types.ts), read from the session.
import { useCallback, useMemo } from 'react';
import { sessionStore, useSession } from '../../store/session.ts';
import type { PanelProps } from './types.ts';

/**
 * The props every panel gets, or null until the first scenario has run and while its trace is not
 * whole (a long opening's rest still coming: the panels read entries anywhere in it).
 */
export function usePanelProps(): PanelProps | null {
  const whole = useSession((s) => s.traceWhole);
  const scenario = useSession((s) => s.scenario);
  const trace = useSession((s) => s.trace);
  const cursor = useSession((s) => s.cursor);
  const snapshot = useSession((s) => s.snapshot);
  const choices = useSession((s) => s.choices);
  const onSeek = useCallback((seq: number) => sessionStore.getState().seek(seq), []);
  const onPickThread = useCallback((thread: string) => void sessionStore.getState().pickThread(thread), []);
  return useMemo(
    () => (scenario && whole ? { scenario, trace, cursor, snapshot, choices, onSeek, onPickThread } : null),
    [whole, scenario, trace, cursor, snapshot, choices, onSeek, onPickThread],
  );
}
