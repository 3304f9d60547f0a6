// What to tell a person whose link did not open, per LinkError kind (codec.ts). Pure: the alert
// renders this; the tests read it.
import { MAX_DECODED_BYTES, type LinkError, type LinkErrorKind } from '../../scenario/linkText.ts';
import type { ValidationError } from '../../scenario/load.ts';

/** Validation errors listed before "and N more". */
export const MAX_LISTED_ERRORS = 5;

export interface LinkErrorText {
  /** One line: what is wrong. */
  title: string;
  /** Why it happens and what to do. */
  help: string;
  /** The codec's own message (positions, sizes), when it adds something. */
  detail?: string;
  /** Validation errors with their JSON paths (invalid scenarios). */
  errors: ValidationError[];
  /** How many more errors there are beyond `errors`. */
  more: number;
}

const MIB = `${MAX_DECODED_BYTES / 1024 / 1024} MiB`;

const TEXT: Record<LinkErrorKind, { title: string; help: string }> = {
  corrupt: {
    title: 'This link is damaged.',
    help: 'Some of its characters were changed or lost, perhaps by the app it was pasted through. Ask for the link again.',
  },
  truncated: {
    title: 'This link is incomplete.',
    help: 'Its end is missing. Chat apps and mail clients sometimes cut long links; copy the whole address again, or ask for the scenario as a file.',
  },
  'too-large': {
    title: 'This link is too large to open.',
    help: `Its scenario would expand to more than ${MIB}, so the playground refused it without opening it (a protection against decompression bombs).`,
  },
  'newer-version': {
    title: 'This link was made by a newer version of the playground.',
    help: 'Reload the page to get the latest version, then open the link again.',
  },
  invalid: {
    title: 'This link’s scenario is not valid.',
    help: 'The link opened, but the scenario inside it breaks the scenario format:',
  },
  'cannot-run': {
    title: 'This link’s scenario could not be run.',
    help: 'The link opened, but the engine failed while running its scenario. Nothing of it was kept.',
  },
  'not-a-link': {
    title: 'This address is not a playground link.',
    help: 'A scenario link ends in #s1. followed by the scenario’s data. Nothing was opened.',
  },
};

export function describeLinkError(error: LinkError): LinkErrorText {
  const base = TEXT[error.kind] ?? TEXT.corrupt;
  const errors = error.kind === 'invalid' ? (error.errors ?? []) : [];
  // The codec's message repeats the title for some kinds; keep it only where it carries facts.
  const detail = error.kind === 'corrupt' || error.kind === 'truncated' || error.kind === 'too-large' || error.kind === 'cannot-run' || (error.kind === 'invalid' && errors.length === 0) ? error.message : undefined;
  return {
    title: base.title,
    help: base.help,
    ...(detail ? { detail } : {}),
    errors: errors.slice(0, MAX_LISTED_ERRORS),
    more: Math.max(0, errors.length - MAX_LISTED_ERRORS),
  };
}
