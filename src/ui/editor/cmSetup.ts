// CodeMirror 6 for the scenario editor, built from the packages the project has: @codemirror/view,
// state, language (via lang-json), lang-json and lint. The `codemirror` package in package.json is
// CodeMirror 5 (6.65.x is its legacy line), so there is no basicSetup and no @codemirror/commands;
// the few commands an editor cannot do without (undo/redo, a newline that keeps the indentation,
// select all) are here. Swap them for @codemirror/commands' history() and defaultKeymap once that
// package is installed.
//
// Colours come from CSS custom properties set on the editor's wrapper (light and dark, see
// JsonEditor.tsx), so the theme follows the page without reconfiguring the editor.
import { json } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, getIndentation, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import { Annotation, ChangeSet, EditorSelection, StateField, Transaction, type EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  type Command,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';

// ---------------------------------------------------------------------------------------------
// A small undo history: inverted change sets, typing grouped within half a second.

interface HistoryEntry {
  /** Applying this to the current document undoes the change. */
  changes: ChangeSet;
  /** The selection before the change. */
  selection: EditorSelection;
  time: number;
  /** Typing and deleting group with the previous entry of the same kind. */
  group?: string;
}

interface History {
  done: readonly HistoryEntry[];
  undone: readonly HistoryEntry[];
}

const setHistory = Annotation.define<History>();
const MAX_DEPTH = 200;
const GROUP_MS = 500;

const historyField = StateField.define<History>({
  create: () => ({ done: [], undone: [] }),
  update(history, tr: Transaction) {
    const explicit = tr.annotation(setHistory);
    if (explicit) return explicit;
    if (!tr.docChanged) return history;
    const time = tr.annotation(Transaction.time) ?? Date.now();
    const group = tr.isUserEvent('input.type') ? 'type' : tr.isUserEvent('delete') ? 'delete' : undefined;
    const inverse = tr.changes.invert(tr.startState.doc);
    const last = history.done.at(-1);
    if (group && last && last.group === group && time - last.time < GROUP_MS) {
      const merged: HistoryEntry = { changes: inverse.compose(last.changes), selection: last.selection, time, group };
      return { done: [...history.done.slice(0, -1), merged], undone: [] };
    }
    const entry: HistoryEntry = { changes: inverse, selection: tr.startState.selection, time, ...(group ? { group } : {}) };
    return { done: [...history.done, entry].slice(-MAX_DEPTH), undone: [] };
  },
});

function move(view: EditorView, from: 'done' | 'undone'): boolean {
  const history = view.state.field(historyField);
  const entry = history[from].at(-1);
  if (!entry) return false;
  const back: HistoryEntry = { changes: entry.changes.invert(view.state.doc), selection: view.state.selection, time: 0 };
  const next: History =
    from === 'done'
      ? { done: history.done.slice(0, -1), undone: [...history.undone, back] }
      : { done: [...history.done, back], undone: history.undone.slice(0, -1) };
  view.dispatch({
    changes: entry.changes,
    selection: entry.selection,
    annotations: setHistory.of(next),
    scrollIntoView: true,
    userEvent: from === 'done' ? 'undo' : 'redo',
  });
  return true;
}

export const undo: Command = (view) => move(view, 'done');
export const redo: Command = (view) => move(view, 'undone');

/** Can undo / redo? (for buttons) */
export const historyDepth = (state: EditorState) => {
  const h = state.field(historyField, false);
  return { undo: h?.done.length ?? 0, redo: h?.undone.length ?? 0 };
};

// ---------------------------------------------------------------------------------------------
// Enter keeps the indentation (and opens a block between brackets); Mod-a selects everything.

const newline: Command = (view) => {
  const { state } = view;
  const unit = state.facet(indentUnit);
  view.dispatch(
    state.changeByRange((range) => {
      const line = state.doc.lineAt(range.from);
      const current = /^\s*/.exec(line.text)![0];
      const computed = getIndentation(state, range.from);
      const indent = computed === null ? current : ' '.repeat(computed);
      const before = state.sliceDoc(range.from - 1, range.from);
      const after = state.sliceDoc(range.to, range.to + 1);
      const between = (before === '{' && after === '}') || (before === '[' && after === ']');
      const inner = between ? current + unit : indent;
      const insert = `\n${inner}${between ? `\n${current}` : ''}`;
      return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.cursor(range.from + 1 + inner.length) };
    }),
    { scrollIntoView: true, userEvent: 'input' },
  );
  return true;
};

const selectAll: Command = (view) => {
  view.dispatch({ selection: { anchor: 0, head: view.state.doc.length }, userEvent: 'select' });
  return true;
};

// ---------------------------------------------------------------------------------------------
// Look

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--cm-key)' },
  { tag: tags.string, color: 'var(--cm-string)' },
  { tag: tags.number, color: 'var(--cm-number)' },
  { tag: [tags.bool, tags.null], color: 'var(--cm-atom)', fontWeight: '600' },
  { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], color: 'var(--cm-punct)' },
  { tag: tags.invalid, color: 'var(--cm-invalid)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--cm-bg)', color: 'var(--cm-fg)', fontSize: '13px' },
  '&.cm-focused': { outline: '2px solid var(--cm-focus)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--cm-fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--cm-fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--cm-selection) !important',
  },
  '.cm-gutters': { backgroundColor: 'var(--cm-gutter-bg)', color: 'var(--cm-gutter-fg)', borderRight: '1px solid var(--cm-border)' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--cm-active)', color: 'var(--cm-fg)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--cm-match)', outline: 'none' },
  '.cm-tooltip': { backgroundColor: 'var(--cm-bg)', color: 'var(--cm-fg)', border: '1px solid var(--cm-border)' },
  '.cm-diagnostic': { fontFamily: 'var(--font-sans, system-ui)', whiteSpace: 'pre-wrap', maxWidth: '60ch' },
  '.cm-foldGutter .cm-gutterElement': { cursor: 'pointer' },
});

export interface SetupOptions {
  /** The accessible name of the editable area. */
  label: string;
  onChange(text: string): void;
}

/** Everything the scenario editor's CodeMirror needs. */
export function editorExtensions({ label, onChange }: SetupOptions): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    lintGutter(),
    highlightSpecialChars(),
    drawSelection(),
    highlightActiveLine(),
    indentOnInput(),
    bracketMatching(),
    json(),
    syntaxHighlighting(highlight),
    indentUnit.of('  '),
    historyField,
    keymap.of([
      { key: 'Mod-z', run: undo, preventDefault: true },
      { key: 'Mod-y', run: redo, preventDefault: true },
      { key: 'Mod-Shift-z', run: redo, preventDefault: true },
      { key: 'Enter', run: newline },
      { key: 'Mod-a', run: selectAll },
    ]),
    theme,
    // Notes and descriptions are long one-line strings: wrap them rather than scroll sideways.
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', tabindex: '0', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
  ];
}
