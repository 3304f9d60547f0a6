// CodeMirror 6 as a React component: the text in, every change out, diagnostics shown inline.
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { editorExtensions } from './cmSetup.ts';
import { minimalChange, type Problem } from './model.ts';

export interface JsonEditorHandle {
  /** Select a range and scroll it into view; focus the editor unless `focus` is false. */
  reveal(from: number, to: number, options?: { focus?: boolean }): void;
  focus(): void;
}

export interface JsonEditorProps {
  value: string;
  onChange(text: string): void;
  /** Shown inline (underline, gutter mark, tooltip). */
  problems: readonly Problem[];
  /** Accessible name of the editable area. */
  label: string;
  /** Element id describing the editor (keyboard help, status). */
  describedBy?: string;
  ref?: Ref<JsonEditorHandle>;
}

// Light and dark colours for cmSetup's theme; contrast ≥ 4.5:1 on the backgrounds.
const COLORS =
  '[--cm-bg:var(--color-white)] [--cm-fg:var(--color-slate-900)] [--cm-gutter-bg:var(--color-slate-50)] [--cm-gutter-fg:var(--color-slate-600)] [--cm-border:var(--color-slate-200)] [--cm-active:color-mix(in_oklab,var(--color-sky-100)_45%,transparent)] [--cm-selection:var(--color-sky-200)] [--cm-match:var(--color-amber-200)] [--cm-focus:var(--color-sky-600)] [--cm-key:var(--color-sky-800)] [--cm-string:var(--color-emerald-800)] [--cm-number:var(--color-amber-800)] [--cm-atom:var(--color-violet-800)] [--cm-punct:var(--color-slate-600)] [--cm-invalid:var(--color-red-700)] ' +
  'dark:[--cm-bg:var(--color-slate-900)] dark:[--cm-fg:var(--color-slate-100)] dark:[--cm-gutter-bg:var(--color-slate-950)] dark:[--cm-gutter-fg:var(--color-slate-400)] dark:[--cm-border:var(--color-slate-700)] dark:[--cm-active:color-mix(in_oklab,var(--color-slate-700)_45%,transparent)] dark:[--cm-selection:var(--color-sky-900)] dark:[--cm-match:var(--color-amber-900)] dark:[--cm-focus:var(--color-sky-400)] dark:[--cm-key:var(--color-sky-300)] dark:[--cm-string:var(--color-emerald-300)] dark:[--cm-number:var(--color-amber-300)] dark:[--cm-atom:var(--color-violet-300)] dark:[--cm-punct:var(--color-slate-400)] dark:[--cm-invalid:var(--color-red-300)]';

export function JsonEditor({ value, onChange, problems, label, describedBy, ref }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  // The text this component last reported or was given, so a value echoed back is not re-applied.
  const known = useRef(value);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: known.current,
        extensions: editorExtensions({
          label,
          onChange: (text) => {
            known.current = text;
            onChangeRef.current(text);
          },
        }),
      }),
    });
    if (describedBy) v.contentDOM.setAttribute('aria-describedby', describedBy);
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; value, problems and callbacks reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A new value from outside (a form, Revert, an import): apply the smallest change.
  useEffect(() => {
    const v = view.current;
    if (!v || value === known.current) return;
    const current = v.state.doc.toString();
    known.current = value;
    const change = minimalChange(current, value);
    if (change) v.dispatch({ changes: change, userEvent: 'set' });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const length = v.state.doc.length;
    const diagnostics: Diagnostic[] = problems
      .filter((p) => p.from <= length)
      .map((p) => ({
        from: p.from,
        to: Math.min(p.to, length),
        severity: p.severity,
        message: p.path ? `${p.path}: ${p.message}` : p.message,
      }));
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [problems]);

  useImperativeHandle(
    ref,
    () => ({
      reveal(from, to, options) {
        const v = view.current;
        if (!v) return;
        const length = v.state.doc.length;
        const anchor = Math.min(from, length);
        v.dispatch({ selection: { anchor, head: Math.min(Math.max(to, anchor), length) }, effects: EditorView.scrollIntoView(anchor, { y: 'center' }) });
        if (options?.focus !== false) v.focus();
      },
      focus() {
        view.current?.focus();
      },
    }),
    [],
  );

  return <div ref={host} className={`h-full min-h-0 overflow-hidden ${COLORS}`} />;
}
