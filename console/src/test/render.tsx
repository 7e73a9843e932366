/**
 * Renders a component the way the console does (Ant Design zh_CN, i18n, urql, a router, and a
 * signed-in viewer when given), with the HTTP layer replaced by `fetch` when given.
 */
import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { Provider as UrqlProvider } from 'urql';
import { vi } from 'vitest';
import { makeClient, session } from '../app/api';
import '../app/i18n';
import { ViewerContext, type Viewer } from '../app/viewer';

export interface RenderOptions {
  /** Answers every HTTP request; see `graphqlAnswer`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response> | Response;
  /** The signed-in party; without it the component renders as before sign-in. */
  viewer?: Viewer;
  /** Route pattern and the address opened, e.g. path '/meetings/:meetingId', at '/meetings/TWVldGluZzox'. */
  path?: string;
  at?: string;
}

export function graphqlAnswer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A committee viewer for tests; override what a test needs. */
export function testViewer(overrides: Partial<Viewer> = {}): Viewer {
  return {
    accountId: 'QWNjb3VudDox',
    partyType: 'residents_committee',
    party: { id: 'UGFydHk6MQ==', name: '幸福社区居委会', type: 'RESIDENTS_COMMITTEE' },
    community: { id: 'Q29tbXVuaXR5OjE=', name: '幸福社区' },
    compound: null,
    district: { id: 'RGlzdHJpY3Q6MQ==', name: '和平街道' },
    ...overrides,
  };
}

export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}) {
  if (options.fetch) {
    const answer = options.fetch;
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(answer(String(input), init ?? {}))),
    );
  }
  const path = options.path ?? '/';
  const page = (
    <Routes>
      <Route path={path} element={options.viewer ? <ViewerContext.Provider value={options.viewer}>{ui}</ViewerContext.Provider> : ui} />
      <Route path="*" element={<p>elsewhere</p>} />
    </Routes>
  );
  return render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <UrqlProvider value={makeClient(session)}>
          <MemoryRouter initialEntries={[options.at ?? path]}>{page}</MemoryRouter>
        </UrqlProvider>
      </AntApp>
    </ConfigProvider>,
  );
}
