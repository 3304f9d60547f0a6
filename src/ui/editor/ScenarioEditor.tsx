// "Edit scenario": the scenario's JSON in CodeMirror, checked as you type (each problem under the
// text it is about, and listed below), with forms beside it so nobody has to write JSON (title and
// description, components from templates, callback behaviours), file import, and exports. Apply
// hands the validated scenario to the owner; nothing is applied while the text is invalid.
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { TraceEntry } from '../../engine/trace.ts';
import { EXPORT_MIME, exportFileName, scenarioToJson, traceToJsonl, type ExportKind } from '../../scenario/exporters.ts';
import { pointerRange } from '../../scenario/jsonpath.ts';
import { addTemplate, templateInfo, type TemplateId } from '../../scenario/templates.ts';
import { SCENARIO_FORMAT, type NormalizedScenario } from '../../scenario/types.ts';
import type { ValidationError } from '../../scenario/load.ts';
import { Dialog } from '../share/Dialog.tsx';
import { CallbackBehaviours, TemplateButtons } from './CallbackForms.tsx';
import { downloadText } from './download.ts';
import { JsonEditor, type JsonEditorHandle } from './JsonEditor.tsx';
import { checkText } from './checker.ts';
import { check, decodeFile, fileTooLarge, parseObject, readScenarioFile, setEnvelopeString, summary, toText, type Checked } from './model.ts';

export interface ScenarioEditorProps {
  /** The scenario now running; the editor starts from its text. */
  scenario: NormalizedScenario;
  /** Its trace (for "Export trace"). */
  trace: readonly TraceEntry[];
  /** The edited scenario, validated, and the text it came from. */
  onApply(scenario: NormalizedScenario, text: string): void;
  onClose(): void;
  /** The sequence diagram as SVG / Mermaid text, when the page has one. */
  sequenceSvg?: () => string;
  sequenceMermaid?: () => string;
}

export const CHECK_DELAY_MS = 250;
const MAX_LISTED = 100;

const BTN =
  'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700';
const PRIMARY =
  'rounded-md bg-sky-700 px-4 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-sky-800 disabled:cursor-not-allowed disabled:bg-slate-400 dark:bg-sky-700 dark:hover:bg-sky-600 dark:disabled:bg-slate-600';
const INPUT =
  'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800';

export function ScenarioEditor({ scenario, trace, onApply, onClose, sequenceSvg, sequenceMermaid }: ScenarioEditorProps) {
  const initial = useMemo(() => scenarioToJson(scenario), [scenario]);
  const [text, setText] = useState(initial);
  /** The text last applied (or opened): "dirty" means the text differs from it. */
  const [baseline, setBaseline] = useState(initial);
  const [checked, setChecked] = useState<Checked>(() => check(initial));
  const [confirmingClose, setConfirmingClose] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  /** The visible confirmation of the last Apply (cleared by the next edit). */
  const [applied, setApplied] = useState<string | null>(null);
  const [importProblem, setImportProblem] = useState<{ title: string; errors: ValidationError[] } | null>(null);
  const editor = useRef<JsonEditorHandle>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const revealAfterRender = useRef<string | null>(null);
  const ids = useId();

  // The owner gave a new scenario (after Apply): follow it unless there are unapplied edits.
  const [seenInitial, setSeenInitial] = useState(initial);
  if (initial !== seenInitial) {
    setSeenInitial(initial);
    if (text === baseline) {
      setText(initial);
      setBaseline(initial);
    }
  }

  // Check the text once typing pauses (a large paste in a worker: no long task on the page).
  useEffect(() => {
    if (checked.text === text) return;
    let live = true;
    const timer = setTimeout(() => {
      void checkText(text).then((c) => {
        if (live) setChecked(c);
      });
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, checked.text]);

  // Scroll to what a form just added (after the editor has the new text).
  useEffect(() => {
    const pointer = revealAfterRender.current;
    if (pointer === null) return;
    revealAfterRender.current = null;
    const r = pointerRange(text, pointer);
    if (r?.exact) editor.current?.reveal(r.key?.from ?? r.from, r.key?.to ?? r.from, { focus: false });
  }, [text]);

  const pending = checked.text !== text;
  const result = checked.result;
  const valid = !pending && result.ok;
  const dirty = text !== baseline;
  const raw = useMemo(() => parseObject(text), [text]);
  const problems = checked.problems;
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const title = typeof raw?.title === 'string' ? raw.title : '';
  const description = typeof raw?.description === 'string' ? raw.description : '';

  function edit(next: string, said?: string) {
    setText(next);
    setApplied(null);
    setConfirmingClose(false);
    if (said) setAnnouncement(said);
  }

  function apply() {
    if (!valid || !result.ok) return;
    onApply(result.scenario, text);
    setBaseline(text);
    setAnnouncement('Applied: the scenario runs again.');
    const at = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    setApplied(`Applied at ${at}: the scenario re-ran from step 1. Undo (header) takes it back.`);
  }

  function requestClose() {
    if (dirty && !confirmingClose) setConfirmingClose(true);
    else onClose();
  }

  function addComponent(template: TemplateId) {
    if (!raw) return;
    const { scenario: next, id } = addTemplate(raw, template);
    const kind = templateInfo(template).kind;
    revealAfterRender.current = `/${kind === 'app' ? 'apps' : 'drivers'}/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    edit(toText(next), `Added the ${kind} ${id}, its timeline actions and any device it needs.`);
  }

  async function importFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file can be chosen again
    if (!file) return;
    const tooLarge = fileTooLarge(file.name, file.size);
    if (tooLarge && !tooLarge.ok) {
      setImportProblem({ title: tooLarge.title, errors: tooLarge.errors });
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      setImportProblem({ title: `${file.name} could not be read.`, errors: [] });
      return;
    }
    const decoded = decodeFile(file.name, bytes);
    if (!decoded.ok) {
      setImportProblem({ title: decoded.title, errors: decoded.errors });
      return;
    }
    const fileText = decoded.text;
    const read = readScenarioFile(file.name, fileText);
    if (!read.ok) {
      // Nothing is replaced: the editor keeps its text.
      setImportProblem({ title: read.title, errors: read.errors });
      return;
    }
    setImportProblem(null);
    edit(read.text, `Imported ${file.name}. Undo (Ctrl+Z in the editor) brings the previous text back.`);
  }

  function exportAs(kind: ExportKind) {
    const name = exportFileName(result.ok && !pending ? result.scenario.title : title, kind);
    switch (kind) {
      case 'scenario':
        // A valid scenario is saved in its canonical form; text that is not valid yet is saved as written.
        downloadText(valid && result.ok ? name : name.replace(/\.json$/, '.draft.json'), valid && result.ok ? scenarioToJson(result.scenario) : text, EXPORT_MIME.scenario);
        break;
      case 'trace':
        downloadText(exportFileName(scenario.title, 'trace'), traceToJsonl(trace), EXPORT_MIME.trace);
        break;
      case 'svg':
        if (sequenceSvg) downloadText(exportFileName(scenario.title, 'svg'), sequenceSvg(), EXPORT_MIME.svg);
        break;
      case 'mermaid':
        if (sequenceMermaid) downloadText(exportFileName(scenario.title, 'mermaid'), sequenceMermaid(), EXPORT_MIME.mermaid);
        break;
    }
  }

  const statusText = pending
    ? 'Checking…'
    : result.ok
      ? `Valid: ${summary(result)}${warnings.length ? `; ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}` : ''}.`
      : `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} to fix before applying.`;

  return (
    <Dialog title="Edit scenario" onClose={requestClose} size="large" describedBy={`${ids}-help`}>
      <div className="flex h-full min-h-0 flex-col">
        <div className="flex min-h-0 flex-1 flex-col overflow-auto lg:grid lg:grid-cols-[minmax(300px,400px)_minmax(0,1fr)] lg:overflow-hidden">
          {/* Forms */}
          <div className="space-y-4 border-slate-200 p-4 lg:overflow-auto lg:border-r dark:border-slate-700">
            <section aria-labelledby={`${ids}-about`} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
              <h3 id={`${ids}-about`} className="text-sm font-semibold">
                Scenario
              </h3>
              <label className="block space-y-1 text-xs font-medium text-slate-700 dark:text-slate-300">
                <span>Title</span>
                <input className={INPUT} value={title} disabled={!raw} onChange={(e) => edit(setEnvelopeString(text, 'title', e.target.value))} />
              </label>
              <label className="block space-y-1 text-xs font-medium text-slate-700 dark:text-slate-300">
                <span>Description (shown in the teaching panel)</span>
                <textarea
                  className={`${INPUT} min-h-24 resize-y`}
                  value={description}
                  disabled={!raw}
                  onChange={(e) => edit(setEnvelopeString(text, 'description', e.target.value))}
                />
              </label>
              {!raw && <p className="text-xs text-amber-800 dark:text-amber-300">Fix the JSON syntax to use the forms.</p>}
            </section>
            <TemplateButtons disabled={!raw} onAdd={addComponent} />
            <CallbackBehaviours scenario={raw} onChange={(next, what) => edit(toText(next), what)} />
            <section aria-labelledby={`${ids}-files`} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
              <h3 id={`${ids}-files`} className="text-sm font-semibold">
                Files
              </h3>
              <div className="flex flex-wrap gap-2">
                <button type="button" className={BTN} onClick={() => fileInput.current?.click()}>
                  Import scenario…
                </button>
                <input ref={fileInput} type="file" accept=".json,application/json" className="sr-only" tabIndex={-1} aria-hidden="true" onChange={importFile} />
                <button type="button" className={BTN} onClick={() => exportAs('scenario')} disabled={pending}>
                  Export scenario (.json)
                </button>
                <button type="button" className={BTN} onClick={() => exportAs('trace')} disabled={trace.length === 0}>
                  Export trace (.jsonl)
                </button>
                {sequenceSvg && (
                  <button type="button" className={BTN} onClick={() => exportAs('svg')}>
                    Sequence diagram (.svg)
                  </button>
                )}
                {sequenceMermaid && (
                  <button type="button" className={BTN} onClick={() => exportAs('mermaid')}>
                    Sequence diagram (Mermaid)
                  </button>
                )}
              </div>
              <p className="text-xs text-slate-600 dark:text-slate-300">
                The trace and the diagram are those of the scenario as last applied.{!valid && !pending ? ' The scenario text is not valid yet: it is exported as written.' : ''}
              </p>
              {importProblem && (
                <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-xs text-red-950 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100">
                  <p className="font-semibold">{importProblem.title}</p>
                  {importProblem.errors.length > 0 && (
                    <ul className="mt-1 list-disc space-y-0.5 pl-4 font-mono">
                      {importProblem.errors.slice(0, 5).map((e, i) => (
                        <li key={i} className="break-words">
                          <span className="font-semibold">{e.path || '/'}</span>: {e.message}
                        </li>
                      ))}
                      {importProblem.errors.length > 5 && <li className="list-none font-sans">and {importProblem.errors.length - 5} more</li>}
                    </ul>
                  )}
                  <p className="mt-1">The editor’s text was not changed.</p>
                </div>
              )}
            </section>
          </div>

          {/* JSON */}
          <div className="flex min-h-0 flex-col">
            <p id={`${ids}-help`} className="shrink-0 border-b border-slate-200 px-4 py-1.5 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-300">
              The scenario as JSON (format {SCENARIO_FORMAT}). Problems are underlined and listed below. Ctrl+Z undoes, Ctrl+Y redoes; Tab leaves the editor.
            </p>
            <div className="h-[60vh] min-h-0 shrink-0 lg:h-auto lg:flex-1">
              <JsonEditor ref={editor} value={text} onChange={(t) => edit(t)} problems={problems} label="Scenario JSON" describedBy={`${ids}-help`} />
            </div>
            {problems.length > 0 && (
              <div className="max-h-48 shrink-0 overflow-auto border-t border-slate-200 px-4 py-2 dark:border-slate-700">
                <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300">
                  {errors.length > 0 ? 'Problems' : 'Warnings'}
                </h3>
                <ul className="mt-1 space-y-0.5">
                  {problems.slice(0, MAX_LISTED).map((p, i) => (
                    <li key={i}>
                      <button
                        type="button"
                        onClick={() => editor.current?.reveal(p.from, p.to)}
                        className="w-full rounded px-1 py-0.5 text-left text-xs hover:bg-slate-100 dark:hover:bg-slate-800"
                      >
                        <span className={p.severity === 'error' ? 'font-semibold text-red-700 dark:text-red-300' : 'font-semibold text-amber-800 dark:text-amber-300'}>
                          {p.severity === 'error' ? 'Error' : 'Warning'}
                        </span>{' '}
                        <span className="font-mono font-semibold">{p.path || '/'}</span>: {p.message}
                      </button>
                    </li>
                  ))}
                  {problems.length > MAX_LISTED && <li className="px-1 text-xs">and {problems.length - MAX_LISTED} more</li>}
                </ul>
              </div>
            )}
          </div>
        </div>

        <footer className="flex shrink-0 flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50 px-4 py-2.5 dark:border-slate-700 dark:bg-slate-950/40">
          <p role="status" className={`min-w-0 flex-1 text-sm ${valid ? 'text-emerald-800 dark:text-emerald-300' : pending ? 'text-slate-600 dark:text-slate-300' : 'text-red-700 dark:text-red-300'}`}>
            {statusText}
          </p>
          <p aria-live="polite" className="sr-only">
            {announcement}
          </p>
          {applied && (
            <p data-testid="editor-applied" className="basis-full text-sm font-medium text-emerald-800 dark:text-emerald-300 sm:basis-auto">
              <span aria-hidden="true">✓ </span>
              {applied}
            </p>
          )}
          {confirmingClose ? (
            <div role="alertdialog" aria-labelledby={`${ids}-discard`} className="flex flex-wrap items-center gap-2">
              <span id={`${ids}-discard`} className="text-sm font-medium">
                Discard the changes you have not applied?
              </span>
              <button type="button" className={BTN} onClick={onClose}>
                Discard changes
              </button>
              <button type="button" className={BTN} onClick={() => setConfirmingClose(false)} autoFocus>
                Keep editing
              </button>
            </div>
          ) : (
            <>
              <button type="button" className={BTN} disabled={text === initial} onClick={() => edit(initial, 'Reverted to the scenario now running.')}>
                Revert
              </button>
              <button type="button" className={PRIMARY} disabled={!valid || !dirty} onClick={apply} title={!valid ? 'Fix the problems first' : undefined}>
                Apply
              </button>
            </>
          )}
        </footer>
      </div>
    </Dialog>
  );
}
