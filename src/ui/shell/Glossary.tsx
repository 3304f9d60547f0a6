// The Glossary (header): every abbreviation and id the page shows, explained. The dialog and its
// texts load when it is first opened.
import { lazy, Suspense, useState } from 'react';

const GlossaryDialog = lazy(() => import('./GlossaryDialog.tsx'));

export function GlossaryButton({ className }: { className: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>
        Glossary
      </button>
      {open && (
        <Suspense fallback={null}>
          <GlossaryDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
