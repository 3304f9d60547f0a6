// The side columns' content: the palette and the Actions panel on the left, the Explanation and the
// panels (Trace, Threads, Sequence, Code, Interleavings) on the right. The first screen shows the
// header, the graph and the step controls without them (shell/firstScreen.ts): this module is a
// chunk of its own, loaded once the first run's graph is painted (App.tsx), so its code is neither
// downloaded nor compiled before the graph shows. The embed's Explanation comes from here too.
import { memo, Suspense } from 'react';
import { ActionsPanel } from '../actions/ActionsPanel.tsx';
import { Palette } from '../palette/Palette.tsx';
import { ExplanationPanel } from '../panels/ExplanationPanel.tsx';
import { CodePanel, InterleavingsPanel, SequencePanel, ThreadsPanel } from '../panels/lazy.tsx';
import { TracePanel } from '../panels/TracePanel.tsx';
import type { PanelProps } from '../panels/types.ts';
import { usePanelProps } from '../panels/usePanelProps.ts';
import { useAfterPaint, type Rest } from '../painted.ts';
import { stepPending, useSession } from '../../store/session.ts';
import { PANELS, setView, useView, type PanelId } from '../view.ts';
import { Tabs } from './Tabs.tsx';

export { ExplanationPanel };

/**
 * The left column: what can be added to the machine, and what can be done with the selected node.
 * Both read the whole trace (where a gesture goes, what an action caused): shown once it is whole.
 */
export function LeftColumn() {
  const whole = useSession((s) => s.traceWhole);
  if (!whole) return <TraceComing />;
  return (
    <>
      <Palette />
      <ActionsPanel />
    </>
  );
}

/**
 * What a side column says while a long opening's trace is still coming (its first entries came with
 * the answer, so the graph and the step controls already show the step): the column reads the
 * whole trace, and fills in when it is here.
 */
function TraceComing() {
  const entries = useSession((s) => s.trace.length);
  return (
    <p className="p-3 text-sm text-slate-500 dark:text-slate-400" aria-busy="true">
      Receiving the rest of the trace ({entries.toLocaleString('en-US')} entries)…
    </p>
  );
}

/** The side panels as tabs; the selected one is part of the view (and so of the link). */
function SidePanels({ props }: { props: PanelProps }) {
  const tab = useView((v) => v.panel);
  const choice = props.choices.some((c) => c.at === props.cursor + 1);
  const content = (id: PanelId) => {
    if (id !== tab) return null; // only the visible panel renders while stepping
    switch (id) {
      case 'trace':
        return <TracePanel {...props} />;
      case 'threads':
        return <Suspense fallback={<p className="p-3 text-sm">Loading…</p>}><ThreadsPanel {...props} /></Suspense>;
      case 'sequence':
        return <Suspense fallback={<p className="p-3 text-sm">Loading…</p>}><SequencePanel {...props} /></Suspense>;
      case 'code':
        return <Suspense fallback={<p className="p-3 text-sm">Loading…</p>}><CodePanel {...props} /></Suspense>;
      case 'interleavings':
        return <Suspense fallback={<p className="p-3 text-sm">Loading…</p>}><InterleavingsPanel /></Suspense>;
    }
  };
  return (
    <Tabs
      label="Panels"
      active={tab}
      onChange={(id) => {
        const panel = PANELS.find((p) => p === id);
        if (panel) setView({ panel });
      }}
      className="min-h-0 flex-1"
      tabs={[
        { id: 'trace', label: 'Trace', content: content('trace') },
        {
          id: 'threads',
          label: (
            <>
              Threads
              {choice && (
                <span className="rounded-full bg-violet-600 px-1.5 text-[10.5px] font-semibold leading-4 text-white">
                  choose<span className="sr-only"> the next thread</span>
                </span>
              )}
            </>
          ),
          content: content('threads'),
        },
        { id: 'sequence', label: 'Sequence', content: content('sequence') },
        { id: 'code', label: 'Code', content: content('code') },
        { id: 'interleavings', label: 'Interleavings', content: content('interleavings') },
      ]}
    />
  );
}

/** The Explanation above the side panels (re-rendered only when their props change: see SideColumnAfterPaint). */
const SideColumn = memo(function SideColumn({ props, touring }: { props: PanelProps | null; touring: boolean }) {
  if (!props) return null;
  return (
    <>
      <div className={`flex ${touring ? 'h-[40%] lg:h-[28%]' : 'h-[40%]'} min-h-[180px] shrink-0 flex-col border-b border-slate-200 dark:border-slate-800`}>
        <ExplanationPanel {...props} />
      </div>
      <SidePanels props={props} />
    </>
  );
});

/**
 * The side column follows a step once no newer one has come for SIDE_REST_MS (and none is on its
 * way to the graph): a key press shows there that long after the graph, while a key held or the
 * scrubber dragged moves only the graph and the step controls, and the Explanation and the panels
 * catch up when the movement pauses. Their render, style, layout and paint (about half of a
 * scrubber jump's main-thread time) would otherwise land in front of the next step's.
 */
export const SIDE_REST_MS = 100;
const SIDE_REST: Rest = { ms: SIDE_REST_MS, pending: stepPending };

/**
 * The graph and the step controls show a new run or step first; the Explanation and the panels
 * follow in a render of their own once that frame is painted and the step has rested (SIDE_REST:
 * a key press, a scrubber jump or a gesture shows on the graph without waiting for them).
 */
export function SideColumnAfterPaint({ touring }: { touring: boolean }) {
  const sideProps = useAfterPaint(usePanelProps(), SIDE_REST);
  const coming = useSession((s) => s.scenario !== null && !s.traceWhole);
  if (coming) return <TraceComing />;
  return <SideColumn props={sideProps} touring={touring} />;
}
