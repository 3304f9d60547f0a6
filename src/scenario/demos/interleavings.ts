// What the interleaving explorer finds on a demo, as the demo gallery says it (docs/explore.md).
// The counts are data on the demo (src/scenario/demos/index.ts), checked against the explorer by
// interleavings.test.ts.

export interface Interleavings {
  /** How many schedules the explorer tries (complete exploration). */
  schedules: number;
  /** What is counted: schedules that end in a bug check, or whose outcome has a hazard of this rule. */
  counts: 'bugcheck' | { rule: string };
  /** How many schedules that is. */
  hits: number;
  /** The counted schedules, as a verb phrase ("bug-check", "miss the arrival (CM-3)"). */
  says: string;
  /** What to look at next (plain text). */
  then: string;
}

/** The gallery's line about a demo's interleavings. */
export const interleavingsText = ({ schedules, hits, says, then }: Interleavings): string =>
  `Explore (Interleavings tab): ${hits === 0 ? 'none' : hits} of the ${schedules} schedules the explorer tries ${says}. ${then}`;
