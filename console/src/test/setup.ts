import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

const browserLike = typeof window !== 'undefined';

afterEach(() => {
  if (!browserLike) return; // a test of its own in Node (// @vitest-environment node)
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});

// jsdom lacks these; Ant Design's responsive components ask for them.
if (browserLike && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
