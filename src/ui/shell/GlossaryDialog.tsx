// The Glossary's dialog (loaded when the header's Glossary button is first pressed).
import { createPortal } from 'react-dom';
import { Dialog } from '../share/Dialog.tsx';
import { GLOSSARY } from './glossary.ts';

export default function GlossaryDialog({ onClose }: { onClose(): void }) {
  return createPortal(
    <Dialog title="Glossary" onClose={onClose}>
      <dl className="grid gap-x-4 gap-y-2 px-5 py-4 text-sm sm:grid-cols-[minmax(8rem,max-content)_1fr]">
        {GLOSSARY.map((t) => (
          <div key={t.term} className="contents">
            <dt className="font-mono font-semibold [overflow-wrap:anywhere]">{t.term}</dt>
            <dd className="mb-1 leading-relaxed text-slate-700 dark:text-slate-300">
              {t.expansion && <span className="font-medium text-slate-900 dark:text-slate-100">{t.expansion}. </span>}
              {t.meaning}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>,
    document.body,
  );
}
