// The gallery as the page mounts it (loaded on demand, with the demos): Open runs the demo and goes
// to where it starts (startSeq of its trace); the URL follows the store.
import { DEMOS, startSeq, type Demo } from '../../scenario/demos/index.ts';
import { sessionStore } from '../../store/session.ts';
import { onBadLink } from '../url.ts';
import { DemoGallery } from './DemoGallery.tsx';

export function openDemo(demo: Demo): Promise<boolean> {
  onBadLink(null);
  return sessionStore.getState().run(demo.scenario, { cursor: (trace) => startSeq(demo, trace), select: null, edit: true });
}

export default function DemoDialog({ onClose }: { onClose(): void }) {
  return (
    <DemoGallery
      demos={DEMOS}
      onOpen={(demo) => {
        onClose();
        void openDemo(demo);
      }}
      onClose={onClose}
    />
  );
}
