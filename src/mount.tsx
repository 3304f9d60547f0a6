// React and the views: evaluated and rendered after src/boot.ts has opened the page's scenario (the
// engine worker starts while this chunk loads; index.html preloads it, see vite.config.ts).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
