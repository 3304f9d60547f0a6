// The "Start here" tour's steps: what each one says and which real element of the page it points
// at (found in the page as it is, by the element's own role, name or data attribute; a step whose
// element is not on screen yet is shown without a pointer).

export interface TourStep {
  id: string;
  title: string;
  body: string;
  /** The element the step points at, or null when it is not there. */
  target(doc: Document): HTMLElement | null;
}

/** A button by its accessible name (aria-label, else its text), inside `root`. */
function buttonNamed(root: ParentNode | null, name: string): HTMLElement | null {
  if (!root) return null;
  for (const b of root.querySelectorAll<HTMLElement>('button')) {
    if ((b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === name) return b;
  }
  return null;
}

/** The panel (a section) whose heading reads `title`. */
function panelTitled(doc: Document, title: string): HTMLElement | null {
  for (const h of doc.querySelectorAll<HTMLElement>('section > header > h2, section > h2')) {
    if (h.textContent?.trim() === title) return h.closest('section');
  }
  return null;
}

const header = (doc: Document) => doc.querySelector('[data-slot="scenario-tools"]');

export const TOUR_STEPS: readonly TourStep[] = [
  {
    id: 'partition',
    title: 'The partition',
    body: 'This box is the machine’s hardware partition: its processors and memory. Drivers register to be told when it changes. The page opened at the first callback of this demo: a driver’s code running because of a notification.',
    target: (doc) => doc.querySelector<HTMLElement>('.react-flow__node[data-id="partition"]') ?? doc.querySelector<HTMLElement>('[data-testid="graph"]'),
  },
  {
    id: 'processor',
    title: 'Add a processor',
    body: 'Drag Processor onto the graph to hot-add one. No mouse? Focus Processor and press Enter. It goes in where registered drivers see it (“Goes in” says where, and lets you pick another point), so their callbacks fire.',
    target: (doc) => doc.querySelector<HTMLElement>('[data-palette="processor"]'),
  },
  {
    id: 'callbacks',
    title: 'Step through its callbacks',
    body: 'Next callback (N) and Previous callback (P) go from one callback to the next; Step forward (→) and Step back (←) go one trace entry at a time. Quiz me asks you to predict each callback before you see it.',
    target: (doc) => doc.querySelector<HTMLElement>('[role="group"][aria-label="Callbacks"]'),
  },
  {
    id: 'explanation',
    title: 'The Explanation',
    body: 'For every step: the rule the engine applied, whether the code obeyed or broke it, how sure we are (documented, observed or a modelling choice) and where the rule is written down.',
    target: (doc) => panelTitled(doc, 'Explanation'),
  },
  {
    id: 'demos',
    title: 'Demos',
    body: 'More scenarios: one per documented behaviour, and the common mistakes. Each opens at the moment it teaches.',
    target: (doc) => buttonNamed(header(doc), 'Demos'),
  },
  {
    id: 'copy-link',
    title: 'Copy link',
    body: 'The link holds the scenario and the step. Whoever opens it sees exactly what you see now: share a question, or a lesson.',
    target: (doc) => buttonNamed(header(doc), 'Copy link'),
  },
];
