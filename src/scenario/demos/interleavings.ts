// What the interleaving explorer finds on a demo, as the demo gallery says it (docs/explore.md).
// The counts are data on the demo (src/scenario/demos/index.ts), checked against the explorer by
// interleavings.test.ts.

export interface Interleavings {
  schedules: number;
  bugchecks: number;
  /** What to look at next (plain text). */
  then: string;
}

/** The gallery's line about a demo's interleavings. */
export const interleavingsText = ({ schedules, bugchecks, then }: Interleavings): string =>
  `Explore (Interleavings tab): ${bugchecks === 0 ? 'none' : bugchecks} of the ${schedules} schedules the explorer tries bug-check. ${then}`;
