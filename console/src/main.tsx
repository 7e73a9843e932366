import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/i18n';
import App from './app/App';
import './app/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
