import { authorisedFetch } from './api';
import { REFRESH_MARGIN_MS, refreshDelay, Session, STORAGE_KEY, type Tokens } from './session';

const T0 = Date.parse('2026-12-01T06:00:00Z');
const tokens = (n: number, expiresInMs = 15 * 60_000, now = T0): Tokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  accessExpiresAt: new Date(now + expiresInMs).toISOString(),
});

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('refreshing before expiry', () => {
  afterEach(() => vi.useRealTimers());

  it('is due a minute before the access token expires', () => {
    expect(refreshDelay(tokens(1), T0)).toBe(15 * 60_000 - REFRESH_MARGIN_MS);
    expect(refreshDelay(tokens(1, 30_000), T0)).toBe(0);
  });

  it('sends the current token while it is fresh, and refreshes once it is due', async () => {
    const time = clock();
    const refresher = vi.fn(async (token: string) => (token === 'refresh-1' ? tokens(2, 15 * 60_000, time.now()) : null));
    const session = new Session(refresher, sessionStorage, time.now);
    session.start(tokens(1));
    expect(await session.accessToken()).toBe('access-1');
    expect(refresher).not.toHaveBeenCalled();
    time.advance(14.5 * 60_000);
    expect(await session.accessToken()).toBe('access-2');
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(JSON.parse(sessionStorage.getItem(STORAGE_KEY)!).refreshToken).toBe('refresh-2');
  });

  it('makes one refresh for requests that find it due together (a refresh token works once)', async () => {
    const time = clock();
    let release: (t: Tokens) => void = () => undefined;
    const refresher = vi.fn(() => new Promise<Tokens>((resolve) => (release = resolve)));
    const session = new Session(refresher, sessionStorage, time.now);
    session.start(tokens(1, 10_000));
    const both = Promise.all([session.accessToken(), session.accessToken()]);
    release(tokens(2));
    expect(await both).toEqual(['access-2', 'access-2']);
    expect(refresher).toHaveBeenCalledTimes(1);
  });

  it('ends the session as expired when the refresh is refused', async () => {
    const session = new Session(async () => null, sessionStorage, clock().now);
    session.start(tokens(1, 10_000));
    const changed = vi.fn();
    session.subscribe(changed);
    expect(await session.accessToken()).toBeNull();
    expect(session.signedIn).toBe(false);
    expect(session.endReason).toBe('expired');
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(changed).toHaveBeenCalled();
  });

  it('refreshes on a timer before expiry even when the tab makes no request', async () => {
    vi.useFakeTimers({ now: T0 });
    const refresher = vi.fn(async () => tokens(2, 15 * 60_000, Date.now()));
    const session = new Session(refresher);
    session.start(tokens(1));
    await vi.advanceTimersByTimeAsync(14 * 60_000 - 1);
    expect(refresher).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresher).toHaveBeenCalledWith('refresh-1');
    expect(await session.accessToken()).toBe('access-2');
    session.end('signed_out');
  });

  it('does not refresh at once a token that expires beyond what a timer can wait', async () => {
    vi.useFakeTimers({ now: T0 });
    const refresher = vi.fn(async () => null);
    const session = new Session(refresher);
    session.start(tokens(1, 60 * 24 * 60 * 60_000)); // sixty days
    await vi.advanceTimersByTimeAsync(30 * 24 * 60 * 60_000);
    expect(refresher).not.toHaveBeenCalled();
    expect(session.signedIn).toBe(true);
    session.end('signed_out');
  });

  it('keeps the tokens of this tab across a reload, and forgets a damaged entry', () => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(tokens(7)));
    expect(new Session(async () => null, sessionStorage, clock().now).signedIn).toBe(true);
    sessionStorage.setItem(STORAGE_KEY, '{not json');
    expect(new Session(async () => null, sessionStorage, clock().now).signedIn).toBe(false);
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('does not keep a refresh that lands after the person signed out', async () => {
    let release: (t: Tokens) => void = () => undefined;
    const session = new Session(() => new Promise<Tokens>((resolve) => (release = resolve)), sessionStorage, clock().now);
    session.start(tokens(1, 10_000));
    const pending = session.accessToken();
    session.end('signed_out');
    release(tokens(2));
    await pending;
    expect(session.signedIn).toBe(false);
    expect(session.endReason).toBe('signed_out');
  });
});

describe('requests of a signed-in tab', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('carry the access token, and a 401 sends the person back to sign in', async () => {
    const session = new Session(async () => null, sessionStorage, clock().now);
    session.start(tokens(1));
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push(new Headers(init.headers).get('Authorization'));
        return new Response('{}', { status: seen.length === 1 ? 200 : 401 });
      }),
    );
    const send = authorisedFetch(session);
    await send('/graphql', { method: 'POST' });
    expect(seen).toEqual(['Bearer access-1']);
    expect(session.signedIn).toBe(true);
    await send('/graphql', { method: 'POST' });
    expect(session.signedIn).toBe(false);
    expect(session.endReason).toBe('expired');
  });
});
