// The engine's first answer to the default first visit, computed by the build (vite.config.ts,
// src/worker/firstAnswer.ts) and packed as text (src/worker/packed.ts).
declare module 'virtual:first-answer' {
  const packed: string;
  export default packed;
}
