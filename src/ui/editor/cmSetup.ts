// CodeMirror 6 for the scenario editor, assembled from its packages (view, state, language,
// commands, lang-json, lint) rather than the `codemirror` bundle, so only what the editor uses ships.
//
// Colours come from CSS custom properties set on the editor's wrapper (light and dark, see
// JsonEditor.tsx), so the theme follows the page without reconfiguring the editor.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';

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
    history(),
    // Tab indents inside the editor; Escape then Tab leaves it (CodeMirror's documented escape hatch).
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    theme,
    // Notes and descriptions are long one-line strings: wrap them rather than scroll sideways.
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', tabindex: '0', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
  ];
}
