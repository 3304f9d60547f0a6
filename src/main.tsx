import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './index.css';
import { sessionStore } from './store/session.ts';
import { App } from './ui/App.tsx';
import { isEmbed } from './ui/embed/isEmbed.ts';
import { startUrlSync } from './ui/url.ts';

// Open the page's scenario first: this starts the engine worker and sends it the run, which then
// loads and runs while React renders the first screen (the page follows the URL for its lifetime).
startUrlSync(sessionStore, window, { readOnly: isEmbed(window.location) });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
