// Save text as a file: a Blob URL and an <a download>. Works offline and under the page's CSP
// (no data: URL navigation, no network).
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.click();
  // The download has started by the time the click handler returns; give slow browsers a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
