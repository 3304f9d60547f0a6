// The routine running on the current thread, as the C its ops stand for, the current op
// highlighted. Current thread = the thread of trace[cursor]; its innermost routine frame comes from
// the snapshot; the highlighted op is the latest `call` / `note` of that thread that belongs to
// that invocation (pseudocode.ts gives every op line its JSON pointer).
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { EntryOf } from '../../engine/trace.ts';
import { lineOfPointer, routineCode, tokenize, type CodeLine, type TokenKind } from './pseudocode.ts';
import { kindCode, traceIndex, type Trace } from '../../trace/indexes.ts';
import type { PanelProps } from './types.ts';
import { PanelFrame } from './ui.tsx';

/** How far back to look for an op of the routine behind nested callbacks (bounded work per step). */
const MAX_LOOKBACK = 20_000;

export interface CodeFocus {
  thread: string;
  component: string;
  routine: string;
  /** Seq of the routine's `invoke` (−1 when unknown). */
  invokedAt: number;
  /** The op running (a JSON pointer), or the routine's own pointer when it was just entered. */
  pointer: string | null;
  /** The routine returned at the current entry. */
  returned: boolean;
}

/** What the Code panel shows at this cursor (pure; exported for tests). */
export function codeFocus(trace: Trace, cursor: number, snapshot: Snapshot | null): CodeFocus | null {
  if (cursor < 0 || cursor >= trace.length) return null;
  const e = trace[cursor];
  const thread = e.thread;
  const stack = snapshot?.threads[thread]?.stack ?? [];
  let frame = null;
  for (let i = stack.length - 1; i >= 0; i--) {
    if (stack[i].routine !== undefined) {
      frame = stack[i];
      break;
    }
  }
  if (!frame) {
    // The routine just returned: keep showing it.
    if (e.type === 'complete') return { thread, component: e.component, routine: e.routine, invokedAt: -1, pointer: null, returned: true };
    return null;
  }
  const component = frame.component;
  const routine = frame.routine!;
  if (frame.seq === cursor) return { thread, component, routine, invokedAt: frame.seq, pointer: 'signature', returned: false };
  // The latest op of this routine on this thread since it was entered: a walk back over the
  // index's columns, decoding only this thread's calls and notes.
  let pointer: string | null = null;
  const ix = traceIndex(trace);
  const here = ix.threads[cursor];
  const call = kindCode('call');
  const note = kindCode('note');
  const prefixes = [`/drivers/${component}/routines/${routine}/`, `/apps/${component}/routines/${routine}/`];
  for (let i = cursor, n = 0; i > frame.seq && n < MAX_LOOKBACK; i--) {
    if (ix.threads[i] !== here || (ix.kinds[i] !== call && ix.kinds[i] !== note)) continue;
    const op = (trace[i] as EntryOf<'call'> | EntryOf<'note'>).op;
    if (!op) continue;
    n++;
    if (op.startsWith(prefixes[0]) || op.startsWith(prefixes[1])) {
      pointer = op;
      break;
    }
  }
  return { thread, component, routine, invokedAt: frame.seq, pointer, returned: false };
}

const TOKEN_CLASS: Record<TokenKind, string> = {
  keyword: 'text-fuchsia-800 dark:text-fuchsia-300',
  type: 'text-teal-800 dark:text-teal-300',
  constant: 'text-sky-800 dark:text-sky-300',
  comment: 'italic text-emerald-800 dark:text-emerald-300',
  string: 'text-amber-800 dark:text-amber-300',
  function: 'text-violet-800 dark:text-violet-300',
  number: 'text-orange-800 dark:text-orange-300',
  plain: '',
};

const Line = memo(function Line({ line, n, current }: { line: CodeLine; n: number; current: boolean }) {
  return (
    <span
      data-line={n}
      data-pointer={line.pointer}
      aria-current={current ? 'true' : undefined}
      className={`flex ${current ? 'bg-amber-100 dark:bg-amber-900/50' : ''}`}
    >
      <span aria-hidden="true" className={`w-9 shrink-0 select-none border-r pr-2 text-right tabular-nums ${current ? 'border-amber-500 text-amber-900 dark:text-amber-200' : 'border-slate-200 text-slate-500 dark:border-slate-700 dark:text-slate-400'}`}>
        {n}
      </span>
      <span className="min-w-0 whitespace-pre-wrap break-words pl-2" style={{ paddingLeft: `calc(0.5rem + ${line.indent * 4}ch)`, textIndent: 0 }}>
        {current && <span className="sr-only">Current line: </span>}
        {tokenize(line.text).map((t, i) => (
          <span key={i} className={TOKEN_CLASS[t.kind]}>
            {t.text}
          </span>
        ))}
        {'\n'}
      </span>
    </span>
  );
});

export function CodePanel({ scenario, trace, cursor, snapshot }: PanelProps) {
  const focus = useMemo(() => codeFocus(trace, cursor, snapshot), [trace, cursor, snapshot]);
  const code = focus ? routineCode(scenario, focus.component, focus.routine) : null;
  const highlight = !code || !focus ? -1 : focus.pointer === 'signature' ? lineOfPointer(code, code.base) : lineOfPointer(code, focus.pointer);
  const pre = useRef<HTMLPreElement>(null);

  // Keep the highlighted line in view inside the panel (never scroll the page).
  useLayoutEffect(() => {
    const el = pre.current;
    if (!el || highlight < 0) return;
    const line = el.querySelector<HTMLElement>(`[data-line="${highlight + 1}"]`);
    if (!line) return;
    const top = line.offsetTop - el.offsetTop;
    if (top < el.scrollTop) el.scrollTop = Math.max(0, top - 8);
    else if (top + line.offsetHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + line.offsetHeight - el.clientHeight + 8;
  }, [highlight, code]);

  const name = focus ? `${focus.component}!${focus.routine}` : '';
  return (
    <PanelFrame
      title="Code"
      className="h-full"
      subtitle={
        focus ? (
          <span>
            <span className="font-mono">{name}</span> on <span className="font-mono">{focus.thread}</span>
            {focus.returned ? ' (returned)' : ''}
          </span>
        ) : undefined
      }
      bodyClassName="flex flex-col"
    >
      {!focus ? (
        <p className="p-3 text-xs text-slate-600 dark:text-slate-400">
          {cursor < 0 ? 'Step forward to see the code that runs.' : `No routine of a driver or app is running on ${trace[cursor]?.thread ?? 'this thread'} at this step.`}
        </p>
      ) : !code ? (
        <p className="p-3 text-xs text-slate-600 dark:text-slate-400">
          {name} has no code in this scenario (the system’s default handler runs).
        </p>
      ) : (
        <pre
          ref={pre}
          aria-label={`Code of ${name}`}
          tabIndex={0}
          className="relative min-h-32 flex-1 overflow-auto bg-white py-1 font-mono text-xs leading-5 text-slate-900 dark:bg-slate-950 dark:text-slate-100"
        >
          {code.lines.map((l, i) => (
            <Line key={i} line={l} n={i + 1} current={i === highlight} />
          ))}
        </pre>
      )}
    </PanelFrame>
  );
}
