// Reading a link on the page, with the codec (src/scenario/link.ts, and fflate with it) loaded only
// when the page first needs it: fflate builds its DEFLATE tables when its module is evaluated, 10–20
// ms of a cold page's main thread, and the default first visit reads no link. The codec is a chunk of
// its own: the entry (src/main.tsx) starts loading it with the worker on any other visit, src/boot.ts
// waits for it there before opening the page, and loads it once the first screen is painted on the
// default first visit.
import type { ReadResult } from '../scenario/linkText.ts';

type LinkCodec = typeof import('../scenario/link.ts');
let codec: LinkCodec | null = null;
let loading: Promise<void> | null = null;

/**
 * Load the link codec (once); `readLink` works from then on. A failed download (the network
 * dropped, or the site was updated and the old chunk is gone) rejects, and the next call tries again.
 */
export function loadLinkReader(): Promise<void> {
  loading ??= import('../scenario/link.ts').then(
    (m) => {
      codec = m;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** What the page says when the codec could not be downloaded: nothing was opened, nothing is lost. */
export const LINK_READER_FAILED =
  'The page could not download the code that reads links, so this link was not opened. Your link and your last scenario are kept: check the connection and reload the page.';

/** Whether `readLink` can be called now. */
export const linkReaderLoaded = (): boolean => codec !== null;

/** readLink of src/scenario/link.ts; the codec must be loaded (loadLinkReader). */
export function readLink(hash: string): ReadResult {
  if (!codec) throw new Error('readLink before the link codec was loaded (loadLinkReader)');
  return codec.readLink(hash);
}
