// The editor's friendly forms: add a driver or app from a template, and pick what each callback
// does per event (behaviours.ts). Each form turns the scenario object into a new one; the editor
// writes it back as text.
import { useId, useState } from 'react';
import {
  applyBehaviour,
  BEHAVIOUR_LABEL,
  behavioursFor,
  CALLBACK_KIND_LABEL,
  currentBehaviour,
  findCallbacks,
  type BehaviourId,
  type CallbackInfo,
} from '../../scenario/behaviours.ts';
import { TEMPLATES, templateInfo, templateSource, type TemplateId } from '../../scenario/templates.ts';

/** `CM_NOTIFY_ACTION_DEVICEQUERYREMOVE` → `DEVICEQUERYREMOVE`, `KeProcessorAddStartNotify` → `Start`. */
export function shortEvent(event: string): string {
  return event
    .replace(/^CM_NOTIFY_ACTION_/, '')
    .replace(/^GUID_(DEVICE_INTERFACE_|TARGET_DEVICE_|HWPROFILE_)/, '')
    .replace(/^KeProcessorAdd(\w+)Notify$/, '$1');
}

const SECTION = 'space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700';
const H = 'text-sm font-semibold';

export function TemplateButtons({ disabled, onAdd }: { disabled: boolean; onAdd(template: TemplateId): void }) {
  const headingId = useId();
  const [chosen, setChosen] = useState<TemplateId>(TEMPLATES[0].id);
  const info = templateInfo(chosen);
  const source = templateSource(info);
  return (
    <section aria-labelledby={headingId} className={SECTION}>
      <h3 id={headingId} className={H}>
        Add a driver or an app
      </h3>
      <div className="flex items-end gap-2">
        <label className="min-w-0 flex-1 space-y-1 text-xs font-medium text-slate-700 dark:text-slate-300">
          <span className="block">Template</span>
          <select
            value={chosen}
            onChange={(e) => setChosen(e.target.value as TemplateId)}
            aria-describedby={`${headingId}-about`}
            className="w-full rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
          >
            {(['driver', 'app'] as const).map((kind) => (
              <optgroup key={kind} label={kind === 'driver' ? 'Kernel drivers' : 'User-mode apps'}>
                {TEMPLATES.filter((t) => t.kind === kind).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={disabled}
          onClick={() => onAdd(chosen)}
          className="shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700"
        >
          {info.kind === 'app' ? 'Add app' : 'Add driver'}
        </button>
      </div>
      <p id={`${headingId}-about`} className="text-xs text-slate-600 dark:text-slate-300">
        {source && <span className="block text-slate-500 dark:text-slate-400">{source}</span>}
        {info.description} Adds the component, any device it needs, and timeline actions that exercise it.
      </p>
    </section>
  );
}

export interface CallbackBehavioursProps {
  /** The scenario as parsed from the editor's text (may not be valid). */
  scenario: Record<string, unknown> | undefined;
  onChange(next: Record<string, unknown>, what: string): void;
}

export function CallbackBehaviours({ scenario, onChange }: CallbackBehavioursProps) {
  const headingId = useId();
  const callbacks = scenario ? findCallbacks(scenario) : [];
  return (
    <section aria-labelledby={headingId} className={SECTION}>
      <h3 id={headingId} className={H}>
        Callbacks: what each one does
      </h3>
      {!scenario && <p className="text-xs text-slate-600 dark:text-slate-300">Fix the JSON syntax to use this form.</p>}
      {scenario && callbacks.length === 0 && (
        <p className="text-xs text-slate-600 dark:text-slate-300">No callbacks yet: add a driver or an app, or register a routine in the JSON.</p>
      )}
      {scenario &&
        callbacks.map((cb) => <CallbackRows key={`${cb.mode}:${cb.component}:${cb.routine}`} scenario={scenario} info={cb} onChange={onChange} />)}
    </section>
  );
}

function CallbackRows({ scenario, info, onChange }: { scenario: Record<string, unknown>; info: CallbackInfo; onChange: CallbackBehavioursProps['onChange'] }) {
  const id = useId();
  return (
    <fieldset className="space-y-1.5 border-t border-slate-200 pt-2 first-of-type:border-t-0 first-of-type:pt-0 dark:border-slate-700">
      <legend className="text-xs">
        <span className="font-mono font-semibold">
          {info.component}!{info.routine}
        </span>
        <span className="block text-slate-600 dark:text-slate-300">{CALLBACK_KIND_LABEL[info.kind]}</span>
      </legend>
      {!info.editable && <p className="text-xs text-amber-800 dark:text-amber-300">This routine switches on another argument than {info.switchOn}; edit it in the JSON.</p>}
      {info.editable &&
        info.events.map((event) => {
          const options = behavioursFor(info, event);
          const current = currentBehaviour(scenario, info, event);
          const effect = options.find((o) => o.id === current)?.effect;
          const selectId = `${id}-${event}`;
          return (
            <div key={event} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-2 gap-y-0.5">
              <label htmlFor={selectId} className="truncate font-mono text-xs" title={event}>
                {shortEvent(event)}
              </label>
              <select
                id={selectId}
                value={current}
                aria-describedby={effect ? `${selectId}-effect` : undefined}
                onChange={(e) => {
                  const b = e.target.value as BehaviourId;
                  onChange(applyBehaviour(scenario, info, event, b) as unknown as Record<string, unknown>, `${info.routine} on ${shortEvent(event)}: ${BEHAVIOUR_LABEL[b]}`);
                }}
                className="rounded border border-slate-300 bg-white py-0.5 pl-1.5 pr-6 text-xs dark:border-slate-600 dark:bg-slate-800"
              >
                {current === 'custom' && (
                  <option value="custom" disabled>
                    Custom (as written)
                  </option>
                )}
                {options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
              {effect && (
                <p id={`${selectId}-effect`} className="col-span-2 text-xs text-slate-600 dark:text-slate-300">
                  {effect}
                </p>
              )}
            </div>
          );
        })}
    </fieldset>
  );
}
