// The page's font stacks on desktop Linux (src/index.css, `.linux-fonts`). In Chromium on Linux
// every family of a stack that is not installed costs a synchronous round trip to the system's font
// service in the page's first layouts: one for each family, weight and style, until one answers.
// The stacks every platform shares start with the families of macOS and Windows (-apple-system,
// Segoe UI…), which Linux never has; on desktop Linux they resolved to Arial's metric twin
// (Liberation Sans) and Liberation Mono after those misses. The Linux stacks name those faces first,
// so the same faces are found without the misses. Set by the page's entry (src/main.tsx) before
// anything is laid out.

/** Whether a user agent is desktop Linux (not Android or ChromeOS, whose fonts differ). */
export function isDesktopLinux(userAgent: string): boolean {
  return /\bLinux\b/.test(userAgent) && !/\bAndroid\b|\bCrOS\b/.test(userAgent);
}

/** Marks the document for the Linux font stacks when the page runs on desktop Linux. */
export function chooseFontStacks(doc: Document, userAgent: string): void {
  if (isDesktopLinux(userAgent)) doc.documentElement.classList.add('linux-fonts');
}
