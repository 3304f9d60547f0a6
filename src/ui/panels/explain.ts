// Plain-text explanations for the Explanation panel: what an entry means when no rule applies, and
// how a rule's source is cited. Rule text itself comes only from the catalogue.
import { formatAction, formatValue } from '../../engine/format.ts';
import type { Rule } from '../../engine/rules/catalog.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { dictOf } from '../../engine/dict.ts';
import { parseEntity } from '../../engine/ids/entities.ts';

const THREAD_STATE: Readonly<Record<string, string>> = dictOf({
  runnable: 'becomes runnable: it has work and waits for the scheduler to pick it',
  blocked: 'blocks',
  idle: 'goes idle: it has nothing left to do for now',
  done: 'ends',
});

/** A generic, one-paragraph explanation of an entry (used when no rule of the catalogue applies). */
export function describeEntry(e: TraceEntry): string {
  switch (e.type) {
    case 'action':
      return `A timeline action starts: ${formatAction(e.action)}. Each action is a user's gesture; it starts when the simulated system is quiescent (no runnable thread, no queued PnP event) unless it is marked concurrent${e.action.during ? ', or, like this one, it starts inside an earlier action: at a choice point, or just before a thread runs a given op' : ''}.`;
    case 'call':
      return `${e.component} calls ${e.api} on thread ${e.thread}${e.irql ? ` at ${e.irql}` : ''}. The arguments are shown as the routine receives them; out-parameters as &Variable.`;
    case 'return': {
      const result = e.result === undefined ? '' : ` with ${formatValue(e.result)}`;
      return `${e.api} returns to ${e.component}${result}.`;
    }
    case 'invoke':
      return `The system calls ${e.component}!${e.routine} on thread ${e.thread}${e.registration ? `, delivering a notification of registration ${e.registration}` : ''}. It runs until it returns; what it calls appears nested under it.`;
    case 'complete':
      return `${e.component}!${e.routine} returns${e.result === undefined || e.result === null ? '' : ` ${formatValue(e.result)}`}; control goes back to whoever called it.`;
    case 'irp':
      return `The PnP manager sends ${e.minor} to ${e.driver}, a driver in ${e.device}'s device stack.`;
    case 'irpComplete':
      return `${e.driver} completes ${e.minor} for ${e.device} with ${e.status}.`;
    case 'queue':
      return `An event (${e.event}) for ${e.device} is put on the PnP manager's event queue. The pnp thread takes events from the queue one at a time, in order, and delivers each to completion.`;
    case 'state': {
      const ent = parseEntity(e.entity);
      if (ent?.kind === 'thread') {
        const what = THREAD_STATE[e.to] ?? `goes from ${e.from} to ${e.to}`;
        return `Scheduler: thread ${ent.id} ${what}${e.on ? ` — it waits for ${e.on}` : ''}.`;
      }
      if (ent?.kind === 'irql') return `Thread ${ent.id} changes IRQL from ${e.from} to ${e.to}.`;
      return `${e.entity} changes state from ${e.from} to ${e.to}.`;
    }
    case 'hazard':
      return e.message;
    case 'note':
      return 'Narration written by the scenario’s author.';
    case 'halt':
      switch (e.reason) {
        case 'quiescent':
          return 'The run ended normally: every timeline action ran, no thread can run and the PnP event queue is empty.';
        case 'bugcheck':
          return 'The run ended with a bug check: the simulated machine stopped.';
        case 'deadlock':
          return 'The run ended in a deadlock: the waiting threads can never run again.';
        case 'stalled':
          return 'The run stalled: a thread waits for something no thread will ever do.';
        case 'budget':
          return 'The run exceeded its operation budget and was stopped.';
      }
      return 'The run ended.';
    default:
      return '';
  }
}

/** "Registering for Synchronous Driver Notification (seed 000)"; other pages name their related seeds. */
export function sourceText(rule: Rule): string {
  if (rule.source.id !== 'other') return `${rule.source.title} (seed ${rule.source.id})`;
  if (rule.seeds.length > 0) return `${rule.source.title} (related seed${rule.seeds.length > 1 ? 's' : ''} ${rule.seeds.join(', ')})`;
  return rule.source.title;
}
