// A headless harness that reads like intent (docs/architecture.md): `run(s).labels('invoke')`.
// Used by the conformance corpus, property tests and benchmarks; never by the app.
import { hazardMismatches } from './rules/hazards.ts';
import { load } from '../scenario/load.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import { runScenario, type RunOptions } from './index.ts';
import type { HaltReason, TraceEntry, TraceType } from './trace.ts';
import { shortName } from './format.ts';
import { isThreadEntity } from './ids/entities.ts';


export class Run {
  readonly trace: TraceEntry[];
  private readonly symlinkDevice = new Map<string, string>();

  constructor(
    readonly scenario: NormalizedScenario,
    trace: TraceEntry[],
  ) {
    this.trace = trace;
    for (const e of trace) {
      if (e.type === 'state' && e.entity.startsWith('interface:') && e.info?.device) {
        this.symlinkDevice.set(e.entity.slice('interface:'.length), String(e.info.device));
      }
    }
  }

  get halt(): HaltReason {
    const h = this.trace.filter((e) => e.type === 'halt');
    if (h.length !== 1) throw new Error(`expected exactly one halt, got ${h.length}`);
    return (h[0] as Extract<TraceEntry, { type: 'halt' }>).reason;
  }

  of<T extends TraceType>(type: T): Extract<TraceEntry, { type: T }>[] {
    return this.trace.filter((e) => e.type === type) as Extract<TraceEntry, { type: T }>[];
  }

  hazards() {
    return this.of('hazard').map((h) => ({ rule: h.rule, severity: h.severity, ...(h.bugcheck ? { bugcheck: h.bugcheck.split(' ')[0] } : {}) }));
  }

  /** The device behind a symbolic link (for short labels). */
  deviceOf(symlink: unknown): string {
    return this.symlinkDevice.get(String(symlink)) ?? String(symlink);
  }

  /** A compact, readable label for an entry. */
  label(e: TraceEntry): string {
    switch (e.type) {
      case 'invoke': {
        const a = e.args;
        const head = `${e.component}!${e.routine}`;
        if ('State' in a) return `${head}:${shortName(a.State)}(${a.NtNumber})`;
        if ('Action' in a) {
          const what = a.SymbolicLink ? `(${this.deviceOf(a.SymbolicLink)})` : a.EventGuid ? `(${a.EventGuid})` : '';
          return `${head}:${shortName(a.Action)}${what}`;
        }
        if ('Event' in a) return `${head}:${shortName(a.Event)}${a.SymbolicLinkName ? `(${this.deviceOf(a.SymbolicLinkName)})` : ''}`;
        return head;
      }
      case 'complete':
        return `${e.component}!${e.routine}=${String(e.result)}`;
      case 'call':
        return `${e.component}>${e.api}`;
      case 'return':
        return `${e.component}<${e.api}=${String(e.result)}`;
      case 'irp':
        return `${shortName(e.minor)}@${e.device}:${e.driver}`;
      case 'irpComplete':
        return `${shortName(e.minor)}@${e.device}:${e.driver}=${e.status}`;
      case 'queue':
        return `queue ${shortName(e.event)}(${e.device})`;
      case 'state':
        return `${e.entity} ${e.from}>${e.to}`;
      case 'hazard':
        return `hazard ${e.rule} ${e.severity}${e.bugcheck ? ` ${e.bugcheck.split(' ')[0]}` : ''}`;
      case 'note':
        return `note ${e.text}`;
      case 'action':
        return `action ${e.action.do}`;
      case 'halt':
        return `halt ${e.reason}`;
    }
  }

  /** Labels of the entries of the given types, in order (thread state changes excluded by default). */
  labels(...types: TraceType[]): string[] {
    const set = new Set(types);
    return this.trace
      .filter((e) => (set.size === 0 || set.has(e.type)) && !(e.type === 'state' && isThreadEntity(e.entity)))
      .map((e) => this.label(e));
  }

  /** Invocations of callbacks (routines called with a registration). */
  callbacks(): string[] {
    return this.of('invoke').filter((e) => e.registration).map((e) => this.label(e));
  }

  /** The state changes of one entity, as `from>to`. */
  states(entity: string): string[] {
    return this.of('state').filter((e) => e.entity === entity).map((e) => `${e.from}>${e.to}`);
  }

  returned(api: string) {
    return this.of('return').filter((e) => e.api === api);
  }
}

/** Load (validating) and run a scenario; throws on an invalid scenario so tests fail loudly. */
export function run(input: unknown, options?: RunOptions): Run {
  const loaded = load(input);
  if (!loaded.ok) throw new Error(`invalid scenario:\n${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  const out = runScenario(loaded.scenario, options);
  if (!out.ok) throw new Error(`schedule error:\n${out.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  // Every conformance run also checks that each hazard is exactly the catalogue's case.
  const mismatches = hazardMismatches(out.trace);
  if (mismatches.length > 0) throw new Error(`hazards differ from the rule catalogue:\n${mismatches.join('\n')}`);
  return new Run(loaded.scenario, out.trace);
}

/** Like `run`, but returns the schedule errors instead of throwing. */
export function runRaw(input: unknown, options?: RunOptions) {
  const loaded = load(input);
  if (!loaded.ok) return { ok: false as const, errors: loaded.errors };
  return runScenario(loaded.scenario, options);
}
