// The playground page: header; left the palette and the actions panel; centre the machine graph
// with the stepper under it; right the explanation and the trace, threads, sequence and code
// panels. The scenario comes from the URL (else the last one this browser had open, else the
// built-in seed-000 demo) and the URL follows it (startUrlSync, started by src/boot.ts before
// the views are evaluated). The header has the share and teach tools (demos,
// editor, copy link); `?embed=1` shows the compact read-only embed layout instead.
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import type { TraceEntry } from '../engine/trace.ts';
import { useSession } from '../store/session.ts';
import { Graph } from './graph/Graph.tsx';
import { HazardOverlay, preloadPanels, QuizPanel as LazyQuizPanel } from './panels/lazy.tsx';
import { useQuiz } from './quiz/store.ts';
import { fatalHazardSeqs } from './panels/traceIndex.ts';
import type { PanelProps } from './panels/types.ts';
import { usePanelProps } from './panels/usePanelProps.ts';
import { Header } from './shell/Header.tsx';
import { NoticeToast, RunProblems } from './shell/Notices.tsx';
import { GlyphWarmup } from './shell/GlyphWarmup.tsx';
import { LoadBoundary } from './shell/LoadBoundary.tsx';
import { useFirstScreen, useShellPainted } from './shell/firstScreen.ts';
import { UndoRedo, useHistoryShortcuts } from './shell/UndoRedo.tsx';
import { GlossaryButton } from './shell/Glossary.tsx';
import { Fold } from './shell/Fold.tsx';
import { CodeBesideToggle, PresenterToggle } from './shell/ViewToggles.tsx';
import { useView } from './view.ts';
import { useColumns } from './shell/layout.ts';
import { Stepper, useStepShortcuts } from './stepper/Stepper.tsx';
import { QuizToggle } from './quiz/QuizToggle.tsx';
import './theme.ts';
import { isEmbed } from './embed/isEmbed.ts';
import { fullLink } from './share/link.ts';
import { LinkAlert, ShareTools, TOOL, useCurrentHash } from './share/ShareTools.tsx';
import { offerTour, preloadTour, StartHereButton, Tour, useTourOpen } from './tour/Tour.tsx';
import { openedOnFirstVisit } from './url.ts';

/** Decided once, when the page opens. */
const EMBED = typeof window !== 'undefined' && isEmbed(window.location);
/** The embed's layout, only ever shown by an embed (`?embed=1`): loaded there. */
const EmbedView = lazy(() => import('./embed/EmbedView.tsx').then((m) => ({ default: m.EmbedView })));
/** The quiz ("Predict, then see") shows only while it is on: loaded on demand (panels/lazy.tsx). */
function QuizPanel() {
  const on = useQuiz((q) => q.on);
  if (!on) return null;
  return (
    <Suspense fallback={null}>
      <LazyQuizPanel />
    </Suspense>
  );
}
/** Code beside the graph is a mode the first screen does not show: loaded when it is turned on. */
const CodeBeside = lazy(() => import('./panels/CodeBeside.tsx').then((m) => ({ default: m.CodeBeside })));

/** The side columns' content (shell/SideColumns.tsx): loaded once the first run's graph is painted. */
let sideColumnsModule: typeof import('./shell/SideColumns.tsx') | null = null;
const loadSideColumns = () => import('./shell/SideColumns.tsx').then((m) => (sideColumnsModule = m));
/**
 * A component of the side columns' module. The first screen renders the columns once the module
 * is loaded (useFirstScreen waits for it), so the lazy component gets a thenable that settles at
 * once (React reads a synchronously settled one without suspending): the columns show in the
 * render that turns them on, as with a static import.
 */
function sideColumn<P extends object>(pick: (m: typeof import('./shell/SideColumns.tsx')) => ComponentType<P>) {
  return lazy(() => {
    const loaded = sideColumnsModule;
    if (!loaded) return loadSideColumns().then((m) => ({ default: pick(m) }));
    return { then: (resolve: (m: { default: ComponentType<P> }) => void) => resolve({ default: pick(loaded) }) } as Promise<{ default: ComponentType<P> }>;
  });
}
const LeftColumn = sideColumn((m) => m.LeftColumn);
const SideColumnAfterPaint = sideColumn((m) => m.SideColumnAfterPaint);
const ExplanationPanel = sideColumn((m) => m.ExplanationPanel);

function Overlay({ props }: { props: PanelProps }) {
  // Dismissed for this trace only: another scenario's bug check at the same seq shows again.
  const [dismissed, setDismissed] = useState<{ trace: readonly TraceEntry[]; seq: number } | null>(null);
  const fatals = fatalHazardSeqs(props.trace); // bug checks and deadlocks: they halt the run, so at most one
  const fatal = fatals.findLast((seq) => seq <= props.cursor) ?? null;
  if (fatal === null || (dismissed?.trace === props.trace && fatal === dismissed.seq)) return null;
  return (
    <Suspense fallback={null}>
      <HazardOverlay {...props} onDismiss={() => setDismissed({ trace: props.trace, seq: fatal })} />
    </Suspense>
  );
}

// The page's frame (header, graph, step controls, palette) does not read the step: only these
// read the panel props, so a step or a scrubber jump re-renders them and not the whole page.

function GraphOverlay() {
  const props = usePanelProps();
  return props ? <Overlay props={props} /> : null;
}

function CodeBesideSlot() {
  const props = usePanelProps();
  if (!props) return null;
  return (
    <Suspense fallback={null}>
      <CodeBeside props={props} />
    </Suspense>
  );
}

/** The embed layout: graph, step controls, explanation and a link out; nothing that edits. */
function Embed() {
  useStepShortcuts();
  const props = usePanelProps();
  const title = useSession((s) => s.title);
  const hash = useCurrentHash();
  return (
    <Suspense fallback={null}>
      <EmbedView
        title={title}
        fullLink={fullLink(window.location, hash)}
        graph={<Graph readOnly />}
        stepper={<Stepper />}
        explanation={
          props ? (
            <LoadBoundary what="The explanation">
              <Suspense fallback={<p>Loading…</p>}>
                <ExplanationPanel {...props} />
              </Suspense>
            </LoadBoundary>
          ) : (
            <p>Loading…</p>
          )
        }
      />
    </Suspense>
  );
}

export function App() {
  useShellPainted();
  return EMBED ? <Embed /> : <Playground />;
}

function Playground() {
  useStepShortcuts();
  useHistoryShortcuts();
  const presenter = useView((v) => v.presenter);
  const codeBeside = useView((v) => v.codeBeside);
  // The header, the graph and the step controls are painted first; the left column's content and
  // the on-demand panels' download (Threads, Sequence, Code…, whether the side panels show or
  // Presenter mode folds them) follow in the task after; the right column's content and the tour's
  // offer in a task after the frame that paints those (shell/firstScreen.ts).
  const { left, right } = useFirstScreen(loadSideColumns);
  useEffect(() => preloadTour(!EMBED && openedOnFirstVisit()), []);
  useEffect(() => {
    if (left) preloadPanels();
  }, [left]);
  useEffect(() => {
    if (right) offerTour(!EMBED && openedOnFirstVisit());
  }, [right]);
  // The quiz sits above the Explanation in three columns (the graph keeps its size), above the step
  // controls in one, and in Presenter mode (the class sees it while the side columns are folded).
  const columns = useColumns();
  const quizBeside = columns && !presenter;
  // While the tour is open at the top of the right column, the Explanation gives it room (the panels keep theirs).
  const touring = useTourOpen();

  return (
    // Below lg the page is one column that scrolls (machine, palette and actions, explanation and
    // panels); from lg up, three columns that fill the window. Presenter mode folds the two side
    // columns into rails (their content opens as a drawer over the graph).
    // Below lg the tour sits at the bottom of the window: the page gets room to scroll its end above it.
    <div className={`flex min-h-dvh flex-col lg:h-dvh lg:min-h-[640px] ${touring ? 'max-lg:pb-72' : ''} ${presenter ? 'pnp-presenter' : ''}`}>
      <Header
        tools={
          <>
            <StartHereButton className={TOOL} />
            <UndoRedo />
            <ShareTools />
            <GlossaryButton className={TOOL} />
            <CodeBesideToggle />
            <PresenterToggle />
          </>
        }
      />
      <LinkAlert />
      <RunProblems />
      <main
        className={`grid grid-cols-1 lg:min-h-0 lg:flex-1 ${presenter ? 'lg:grid-cols-[auto_minmax(0,1fr)_auto]' : 'lg:grid-cols-[236px_minmax(0,1fr)_minmax(340px,30%)]'}`}
      >
        <aside
          aria-label="Palette and actions"
          className={`order-2 min-w-0 border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 lg:order-none lg:min-h-0 lg:border-b-0 lg:border-r ${
            presenter ? 'relative z-20' : 'space-y-5 p-3 lg:overflow-y-auto'
          }`}
        >
          <Fold folded={presenter} label="Palette and actions" side="left">
            <div className={presenter ? 'min-h-0 flex-1 space-y-5 overflow-y-auto p-3' : 'contents'}>
              {left && (
                <LoadBoundary what="The palette and actions">
                  <Suspense fallback={null}>
                    <LeftColumn />
                  </Suspense>
                </LoadBoundary>
              )}
            </div>
          </Fold>
        </aside>
        <section aria-label="Machine" className="order-1 flex h-[min(78dvh,620px)] min-w-0 flex-col lg:order-none lg:h-auto lg:min-h-0">
          <div className={`flex min-h-0 flex-1 ${codeBeside ? 'flex-col lg:flex-row' : ''}`}>
            <div className="relative isolate min-h-0 min-w-0 flex-1">
              <Graph />
              <GraphOverlay />
            </div>
            {codeBeside && <CodeBesideSlot />}
          </div>
          {!quizBeside && <QuizPanel />}
          <Stepper tools={<QuizToggle />} />
        </section>
        <aside
          aria-label="Explanation and panels"
          className={`relative order-3 flex min-w-0 flex-col border-t border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 lg:order-none lg:h-auto lg:min-h-0 lg:border-l lg:border-t-0 ${
            presenter ? 'z-20' : 'z-10 h-[90dvh] min-h-[480px]'
          }`}
        >
          {/* In Presenter mode the tour opens the folded column (it walks through what is in it). */}
          <Fold folded={presenter} label="Explanation and panels" side="right" opened={touring}>
            {right && (
              <>
                <Tour />
                {quizBeside && <QuizPanel />}
                <LoadBoundary what="The explanation and panels">
                  <Suspense fallback={null}>
                    <SideColumnAfterPaint touring={touring} />
                  </Suspense>
                </LoadBoundary>
              </>
            )}
          </Fold>
        </aside>
      </main>
      <NoticeToast />
      {left && <GlyphWarmup />}
    </div>
  );
}
