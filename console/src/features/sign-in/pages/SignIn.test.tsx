import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { session } from '../../../app/api';
import { STORAGE_KEY } from '../../../app/session';
import { graphqlAnswer, renderWithProviders } from '../../../test/render';
import SignIn from './SignIn';

const SESSION = { accessToken: 'a1', refreshToken: 'r1', accessExpiresAt: '2099-01-01T00:00:00+08:00' };

async function signIn(password = 'secret') {
  // Whole values at once: typing key by key through Ant Design's inputs is slow in jsdom.
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'xingfu-rc' } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  await userEvent.setup().click(screen.getByRole('button', { name: /登\s*录/ }));
}

describe('the sign-in form', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    if (session.signedIn) session.end('signed_out');
  });

  it('asks for both fields before sending anything', async () => {
    const fetch = vi.fn(() => graphqlAnswer({}));
    renderWithProviders(<SignIn />, { path: '/sign-in', fetch });
    await userEvent.setup().click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(screen.getByText('请输入密码')).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('signs in with the signIn mutation and keeps the tokens in this tab', async () => {
    const bodies: { query: string; variables: unknown }[] = [];
    renderWithProviders(<SignIn />, {
      path: '/sign-in',
      fetch: (_url, init) => {
        bodies.push(JSON.parse(String(init.body)));
        return graphqlAnswer({ data: { signIn: { session: SESSION, errors: [] } } });
      },
    });
    await signIn();
    await waitFor(() => expect(session.signedIn).toBe(true));
    expect(bodies[0]?.query).toContain('signIn(input: $input)');
    expect(bodies[0]?.variables).toEqual({ input: { username: 'xingfu-rc', password: 'secret' } });
    expect(JSON.parse(sessionStorage.getItem(STORAGE_KEY)!)).toEqual(SESSION);
    expect(await screen.findByText('elsewhere')).toBeInTheDocument(); // on to the home page
  });

  it('says a wrong password in words', async () => {
    renderWithProviders(<SignIn />, {
      path: '/sign-in',
      fetch: () =>
        graphqlAnswer({
          data: { signIn: { session: null, errors: [{ field: null, code: 'invalid_credentials', message: 'wrong username or password' }] } },
        }),
    });
    await signIn('wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('用户名或密码错误');
    expect(session.signedIn).toBe(false);
  });

  it('says when sign-in is throttled, and when requests come too fast', async () => {
    let answer = 0;
    renderWithProviders(<SignIn />, {
      path: '/sign-in',
      fetch: () =>
        ++answer === 1
          ? graphqlAnswer({ data: { signIn: { session: null, errors: [{ field: null, code: 'throttled', message: 'too many failed sign-ins' }] } } })
          : graphqlAnswer({ errors: [{ message: 'too many requests', extensions: { code: 'limit_exceeded', retryAfter: 2.4 } }] }, 429),
    });
    await signIn();
    expect(await screen.findByRole('alert')).toHaveTextContent('登录失败次数过多，请稍后再试');
    await userEvent.setup().click(screen.getByRole('button', { name: /登\s*录/ }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('请求过于频繁，请 3 秒后重试'));
  });

  it('says when the server cannot be reached', async () => {
    renderWithProviders(<SignIn />, { path: '/sign-in', fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await signIn();
    expect(await screen.findByRole('alert')).toHaveTextContent('无法连接服务器');
  });

  it('explains why the person is back after the session expired', async () => {
    session.start(SESSION);
    session.end('expired');
    renderWithProviders(<SignIn />, { path: '/sign-in' });
    expect(await screen.findByText('登录已过期，请重新登录')).toBeInTheDocument();
  });

  it('confirms a sign-out', async () => {
    session.start(SESSION);
    session.end('signed_out');
    renderWithProviders(<SignIn />, { path: '/sign-in' });
    expect(await screen.findByText('您已退出登录')).toBeInTheDocument();
  });
});
