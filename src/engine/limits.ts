// Bounds of a run (docs/scenario-format.md, limits). The engine owns them; the scenario layer
// re-exports them in LIMITS next to the format's own limits (src/scenario/types.ts).

export const RUN_LIMITS = {
  /** Ops a run may execute before it halts under DL-3 (it never became quiescent). */
  opBudget: 1_000_000,
} as const;
