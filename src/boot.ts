// The page's first work, before React and the views are evaluated: open the page's scenario
// (startUrlSync). That starts the engine worker and sends it the run, which then loads and runs in
// parallel with the evaluation of the rest of the page's code and React's first render. src/main.tsx
// imports this module first: ES modules evaluate their imports in order, so this runs before the
// modules imported after it (react-dom, React Flow, the views) are evaluated.
import { sessionStore } from './store/session.ts';
import { isEmbed } from './ui/embed/isEmbed.ts';
import { firstScreenPainted } from './ui/shell/firstScreen.ts';
import { startUrlSync } from './ui/url.ts';

// The page follows the URL for its lifetime. A link whose run will be long is run once the first
// screen is painted (src/ui/url.ts, longRun); any other opening is sent at once.
startUrlSync(sessionStore, window, { readOnly: isEmbed(window.location), firstScreen: firstScreenPainted });
