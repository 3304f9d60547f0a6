// The props every panel receives from the page shell (the contract between the shell and the panels).
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { ChoicePoint } from '../../engine/index.ts';

export interface PanelProps {
  scenario: NormalizedScenario;
  /** Arrays are only read: a readonly array from the store is accepted as well. */
  trace: readonly TraceEntry[];
  /** Index (= seq) of the current trace entry; −1 before the first. */
  cursor: number;
  /** State after trace[cursor]; null while loading. */
  snapshot: Snapshot | null;
  choices: readonly ChoicePoint[];
  onSeek(seq: number): void;
  onPickThread(thread: string): void;
}
