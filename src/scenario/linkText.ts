// What a scenario link looks like, without its codec (src/scenario/link.ts): the errors, the limits,
// the step parameter. The page's first visit needs these but reads no link, and the codec's fflate
// builds its DEFLATE tables when its module is evaluated (10–20 ms of a cold page's main thread), so
// the page loads the codec only when it reads a link (src/ui/linkReader.ts). link.ts re-exports all of
// this.
import type { ValidationError } from './errors.ts';

/** `cannot-run`: the link decoded, but its scenario could not be run (the page reports it; the codec never does). */
export type LinkErrorKind = 'corrupt' | 'truncated' | 'too-large' | 'newer-version' | 'invalid' | 'not-a-link' | 'cannot-run';

export type LinkError = { kind: LinkErrorKind; message: string; errors?: ValidationError[] };

/** A link read up to validation: the scenario as JSON data, not yet migrated nor checked (load() does both). */
export type ReadResult = { ok: true; value: unknown; step?: number } | { ok: false; error: LinkError };

/** The link codec version this build writes. */
export const LINK_VERSION = 1;
export const LINK_PREFIX = `#s${LINK_VERSION}.`;
/** Past this many characters a link is at risk (chat apps and some mail clients truncate). */
export const MAX_LINK_CHARS = 2000;
/** Decompression cap: a payload that inflates past this is refused (a DEFLATE bomb). */
export const MAX_DECODED_BYTES = 1024 * 1024;

export const NEWER = 'This link was made by a newer version of the playground. Reload the page to get the latest version, then open the link again.';

export function isStep(step: unknown): step is number {
  return typeof step === 'number' && Number.isSafeInteger(step) && step >= 0;
}

/** `#s1.<payload>&step=<n>` from a link made without a step (a negative step adds nothing). */
export function withStep(base: string, step: number): string {
  return isStep(step) ? `${base}&step=${step}` : base;
}

/** The link error for a link whose scenario load() refused (`newerVersion`: made by a newer playground). */
export function invalidLinkError(errors: ValidationError[], newerVersion = false): LinkError {
  if (newerVersion) return { kind: 'newer-version', message: NEWER, errors };
  const n = errors.length;
  return { kind: 'invalid', message: `The link's scenario is not valid (${n} problem${n === 1 ? '' : 's'}).`, errors };
}
