// The page's first work, before React and the views are evaluated: open the page's scenario
// (startUrlSync). That sends the engine worker the run, which then loads and runs in parallel with
// the evaluation of the rest of the page's code and React's first render. src/main.tsx imports this
// module first, then the views (src/mount.tsx).
//
// The default first visit (`builtInDemo`: the built-in demo, no link, nothing saved, not the embed)
// needs no worker for its first screen: its run's answer was computed by the build with the
// worker's own code (src/worker/firstAnswer.ts, the `virtual:first-answer` module) and is shown at
// once. The worker starts once the first screen is painted and is sent that same run first, so it
// holds what the page shows before any step or gesture reaches it (a request made earlier starts it
// and waits its turn behind that run).
import packedFirstAnswer from 'virtual:first-answer';
import { DEFAULT_SCENARIO } from './scenario/defaultScenario.ts';
import { sessionStore } from './store/session.ts';
import { isEmbed } from './ui/embed/isEmbed.ts';
import { firstScreenPainted } from './ui/shell/firstScreen.ts';
import { loadLinkReader } from './ui/linkReader.ts';
import { startUrlSync } from './ui/url.ts';
import { getEngineClient } from './worker/client.ts';
import { unpackMessage } from './worker/packed.ts';
import { parseResponse, type RunResponse } from './worker/protocol.ts';

/** Open the page's scenario; the page follows the URL for its lifetime. */
export async function openPage(builtInDemo: boolean): Promise<void> {
  // The link codec (src/ui/linkReader.ts): the entry started loading it on any other visit; the
  // default first visit reads no link, so it loads once the first screen is painted.
  if (builtInDemo) {
    const client = getEngineClient();
    client.answerEarly(DEFAULT_SCENARIO, () => parseResponse(unpackMessage(packedFirstAnswer)) as RunResponse);
    void firstScreenPainted.then(() => {
      client.start();
      // Failing here costs nothing: a link opened later loads it again (src/ui/url.ts).
      return loadLinkReader().catch(() => undefined);
    });
  } else {
    // A failed download is reported where the link is read (src/ui/url.ts); the page still mounts.
    await loadLinkReader().catch(() => undefined);
  }
  // A link whose run will be long is run once the first screen is painted (src/ui/url.ts, longRun);
  // any other opening is sent at once.
  startUrlSync(sessionStore, window, { readOnly: isEmbed(window.location), firstScreen: firstScreenPainted });
}
