// The scenario editor as the page mounts it (loaded on demand: CodeMirror stays out of the first
// load): the running scenario, its trace and the sequence-diagram exporters; Apply re-runs.
import { useCallback } from 'react';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { sessionStore, useSession } from '../../store/session.ts';
import { layoutSequence, sequenceModel, sequenceWindow, toMermaid, toSvg } from '../panels/sequence.ts';
import { onBadLink } from '../url.ts';
import { ScenarioEditor } from './ScenarioEditor.tsx';

export default function EditorDialog({ onClose }: { onClose(): void }) {
  const scenario = useSession((s) => s.scenario);
  const trace = useSession((s) => s.trace);
  // The export and the sequence diagram read the whole trace.
  const whole = useSession((s) => s.traceWhole);
  const window_ = useCallback(() => {
    const { scenario: s, trace: t, cursor } = sessionStore.getState();
    return s ? sequenceWindow(sequenceModel(s, t), Math.max(cursor, 0)) : null;
  }, []);
  const svg = useCallback(() => {
    const w = window_();
    return w ? toSvg(layoutSequence(w), `${sessionStore.getState().title} — sequence`) : '';
  }, [window_]);
  const mermaid = useCallback(() => {
    const w = window_();
    return w ? toMermaid(w, sessionStore.getState().title) : '';
  }, [window_]);
  const apply = useCallback((next: NormalizedScenario) => {
    // A new scenario: start at its beginning with nothing selected (no stale cursor or selection).
    onBadLink(null);
    void sessionStore.getState().run(next, { cursor: 0, select: null, edit: true });
  }, []);
  if (!scenario || !whole) return null;
  return <ScenarioEditor scenario={scenario} trace={trace} onApply={apply} onClose={onClose} sequenceSvg={svg} sequenceMermaid={mermaid} />;
}
