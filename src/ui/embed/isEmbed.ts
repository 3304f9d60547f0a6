// Embed mode: `?embed=1` in the query, or `&embed=1` among the hash's parameters
// (`#s1.<payload>&step=4&embed=1`; decodeHash ignores parameters it does not know). Pure.

interface Where {
  search: string;
  hash: string;
}

const hashParams = (hash: string): string[] => hash.replace(/^#/, '').split('&').slice(1);

/** Is the page asked to show the compact, read-only embed layout? */
export function isEmbed(location: Where): boolean {
  if (new URLSearchParams(location.search).get('embed') === '1') return true;
  // The first hash segment is the scenario (or empty); parameters follow, `&`-separated.
  const hash = location.hash.replace(/^#/, '');
  const params = hash.startsWith('s') ? hashParams(location.hash) : hash.split('&');
  return params.includes('embed=1');
}

/** The same address without the embed flag: the link to "open in the full playground". */
export function fullPlaygroundLink(location: Where & { origin: string; pathname: string }): string {
  const search = new URLSearchParams(location.search);
  search.delete('embed');
  const query = search.toString();
  const hash = location.hash.replace(/^#/, '');
  const parts = hash === '' ? [] : hash.split('&');
  const kept = parts.filter((p, i) => !(p === 'embed=1' && (i > 0 || !hash.startsWith('s'))));
  return `${location.origin}${location.pathname}${query ? `?${query}` : ''}${kept.length ? `#${kept.join('&')}` : ''}`;
}
