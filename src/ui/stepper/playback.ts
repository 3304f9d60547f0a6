// Play / Pause: the stepper steps on its own, by the same rule as Step forward (it follows the Trace
// panel's filter), at the chosen speed, and stops at the end of the trace. A view preference: its
// own small store, not the session's.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { sessionStore } from '../../store/session.ts';
import { stepVisible, visibleSeqs } from '../panels/traceFilter.ts';

/** Steps per second at each speed the Speed control offers. */
export const SPEEDS = [
  { value: 0.5, label: '0.5×' },
  { value: 1, label: '1×' },
  { value: 2, label: '2×' },
  { value: 4, label: '4×' },
  { value: 8, label: '8×' },
] as const;

/** 1× is two steps a second: time to read the entry and see the graph change. */
export const BASE_INTERVAL_MS = 500;

interface Playback {
  playing: boolean;
  speed: number;
}

export const playbackStore = createStore<Playback>()(() => ({ playing: false, speed: 1 }));

export const usePlayback = <T,>(select: (p: Playback) => T): T => useStore(playbackStore, select);

export function setPlaying(playing: boolean): void {
  playbackStore.setState({ playing });
}

export function setSpeed(speed: number): void {
  playbackStore.setState({ speed });
}

/** Move `delta` entries the way the user steps: over the entries the Trace filter shows. */
export function stepShown(delta: number): void {
  const s = sessionStore.getState();
  const next = stepVisible(visibleSeqs(s.trace), s.trace.length, s.cursor, delta);
  if (next >= 0) s.seek(next);
}

/** The timer behind Play (installed once, by the stepper). */
export function usePlaybackTimer(): void {
  const playing = usePlayback((p) => p.playing);
  const speed = usePlayback((p) => p.speed);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const before = sessionStore.getState().cursor;
      stepShown(1);
      if (sessionStore.getState().cursor === before) setPlaying(false); // at the end
    }, BASE_INTERVAL_MS / speed);
    return () => clearInterval(timer);
  }, [playing, speed]);
  // A new run (another scenario, a gesture, an undo) stops playback.
  useEffect(
    () =>
      sessionStore.subscribe((s, prev) => {
        if (s.trace !== prev.trace && playbackStore.getState().playing) setPlaying(false);
      }),
    [],
  );
}
