import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp, ConfigProvider } from 'antd';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { Provider as UrqlProvider } from 'urql';
import { graphqlAnswer, testViewer } from '../test/render';
import { makeClient, session } from './api';
import { ROUTES } from './features';
import i18n from './i18n';
import type { PartyType } from './parties';
import { menuFor } from './registry';
import Shell from './Shell';
import { ViewerContext } from './viewer';

function renderShell(partyType: PartyType) {
  const viewer = testViewer({ partyType });
  const router = createMemoryRouter([
    {
      path: '/',
      element: (
        <ViewerContext.Provider value={viewer}>
          <Shell />
        </ViewerContext.Provider>
      ),
      children: [{ index: true, element: <p>page content</p> }],
    },
  ]);
  return render(
    <ConfigProvider>
      <AntApp>
        <UrqlProvider value={makeClient(session)}>
          <RouterProvider router={router} />
        </UrqlProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

describe('the signed-in layout', () => {
  afterEach(async () => {
    vi.unstubAllGlobals();
    await i18n.changeLanguage('zh-CN');
  });

  // jsdom matches no media query: the layout is the phone's, its menu in a drawer behind a button.
  it.each<PartyType>(['residents_committee', 'volunteer'])("shows the %s's menu and nobody else's", async (party) => {
    renderShell(party);
    const opener = screen.getByRole('button', { name: '打开菜单' });
    expect(opener).toHaveAttribute('aria-expanded', 'false');
    await userEvent.setup().click(opener);
    const menu = within(await screen.findByRole('navigation', { name: '主菜单' }));
    const mine = menuFor(ROUTES, party).map((r) => i18n.t(r.title));
    expect(menu.getAllByRole('link').map((a) => a.textContent)).toEqual(mine);
    const others = ROUTES.filter((r) => r.menu && !r.public && !r.parties.includes(party)).map((r) => i18n.t(r.title));
    for (const title of others.filter((t) => !mine.includes(t))) expect(menu.queryByText(title)).toBeNull();
    expect(screen.getByRole('main')).toHaveTextContent('page content');
    expect(screen.getByText('幸福社区')).toBeInTheDocument();
  });

  it('switches to English and remembers it', async () => {
    renderShell('residents_committee');
    await userEvent.setup().click(screen.getByText('EN'));
    expect(await screen.findByRole('button', { name: /Sign out/ })).toBeInTheDocument();
    expect(localStorage.getItem('gongzhi.language')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('signs out with the API and forgets the tokens of the tab', async () => {
    session.start({ accessToken: 'a', refreshToken: 'r', accessExpiresAt: '2099-01-01T00:00:00Z' });
    const sent: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(JSON.parse(String(init.body)).query);
        return graphqlAnswer({ data: { signOut: { __typename: 'SignOut', signedOut: true, errors: [] } } });
      }),
    );
    renderShell('residents_committee');
    await userEvent.setup().click(screen.getByRole('button', { name: /退出登录/ }));
    await waitFor(() => expect(session.signedIn).toBe(false));
    expect(sent[0]).toMatch(/signOut/);
    expect(session.endReason).toBe('signed_out');
  });
});
