// The symbols the trace's lines and the graph's badges use (▶ ⚠ ✎ ■, src/engine/format.ts) are not
// in every platform's primary font (Linux: Liberation Sans/Mono lack ▶ ⚠ ✎). The first time one is
// laid out in a given family and weight, the browser asks the system's font service for a fallback
// font, synchronously (~100 ms on a busy machine). Left to chance, that happens in the frame of a
// user's first gesture (the step line "▶ hotAddProcessor", monospace regular, after Enter on
// "Processor"). So in the task after the first run is painted, this lays them out once, invisibly,
// in each family and weight the page shows them in: the lookups are made there, off the gesture's
// critical path (the browser keeps the fallback it found for the page's lifetime).
const SYMBOLS = '▶⚠✎■→←·—–…';

/** Rendered with the first screen's first stage (shell/firstScreen.ts), not before: the graph comes first. */
export function GlyphWarmup() {
  return (
    <div aria-hidden="true" data-testid="glyph-warmup" className="pointer-events-none fixed left-0 top-0 -z-10 select-none overflow-hidden whitespace-nowrap text-xs opacity-0 [contain:strict] size-px">
      {['font-sans', 'font-mono'].map((family) =>
        ['font-normal', 'font-medium', 'font-semibold', 'font-bold'].map((weight) => (
          <span key={`${family} ${weight}`} className={`${family} ${weight}`}>
            {SYMBOLS}
          </span>
        )),
      )}
    </div>
  );
}
