// Link text for sharing, and copying it. Pure except copyText (clipboard).
import { MAX_LINK_CHARS } from '../../scenario/linkText.ts';

/** The address to share: this page (origin + path) with the scenario hash. Query parameters such as `?embed=1` are left out. */
export function fullLink(location: { origin: string; pathname: string }, hash: string): string {
  const h = hash === '' || hash.startsWith('#') ? hash : `#${hash}`;
  return `${location.origin}${location.pathname}${h}`;
}

/** One formatter (toLocaleString builds one per call, and the header asks at every step). */
const count = new Intl.NumberFormat('en-US');

/** The warning for a link past MAX_LINK_CHARS, or undefined. */
export function linkLengthWarning(length: number): string | undefined {
  if (length <= MAX_LINK_CHARS) return undefined;
  return `This link is ${count.format(length)} characters long; chat apps may truncate links over ${count.format(MAX_LINK_CHARS)} characters.`;
}

/**
 * Put `text` on the clipboard: the async Clipboard API, else a hidden textarea and
 * execCommand('copy') (older browsers, or a page without clipboard permission). Never throws.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied or not focused: try the fallback.
  }
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  // Inside an open modal dialog the rest of the page is inert: the textarea must sit in the dialog.
  const host = active?.closest('dialog') ?? document.body;
  host.appendChild(area);
  try {
    area.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
    active?.focus();
  }
}
