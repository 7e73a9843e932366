/**
 * The signed-in session of this tab. Tokens live in sessionStorage: each tab signs in on its own and
 * closing it forgets them. The access token is refreshed with refreshSession a minute before it
 * expires (on a timer, and before any request that finds it due); a refused refresh ends the session.
 */

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** ISO instant from the API's accessExpiresAt. */
  accessExpiresAt: string;
}

/** Why the person is back at the sign-in page. */
export type EndReason = 'signed_out' | 'expired';

export const STORAGE_KEY = 'gongzhi.session';
export const REFRESH_MARGIN_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export function refreshDelay(tokens: Tokens, now: number): number {
  return Math.max(0, Date.parse(tokens.accessExpiresAt) - now - REFRESH_MARGIN_MS);
}

export function refreshDue(tokens: Tokens, now: number): boolean {
  return refreshDelay(tokens, now) === 0;
}

/** Trades a refresh token for new tokens; null when the API refuses it (ended, reused, expired). */
export type Refresher = (refreshToken: string) => Promise<Tokens | null>;

type Listener = () => void;

export class Session {
  private tokens: Tokens | null;
  private refreshing: Promise<Tokens | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<Listener>();
  /** How the last session of this tab ended, for the sign-in page to say; null before any. */
  endReason: EndReason | null = null;

  constructor(
    private readonly refresher: Refresher,
    private readonly storage: Storage = sessionStorage,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = Session.read(storage);
    this.schedule();
  }

  private static read(storage: Storage): Tokens | null {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Tokens>;
      if (parsed.accessToken && parsed.refreshToken && parsed.accessExpiresAt) return parsed as Tokens;
    } catch {
      // A damaged entry is no session.
    }
    storage.removeItem(STORAGE_KEY);
    return null;
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever the person signs in or out, for useSyncExternalStore. */
  snapshot = (): string | null => this.tokens?.refreshToken ?? null;

  start(tokens: Tokens): void {
    this.endReason = null;
    this.store(tokens);
  }

  /** The access token to send, refreshed first when it is due; null when there is no session. */
  async accessToken(): Promise<string | null> {
    if (!this.tokens) return null;
    if (refreshDue(this.tokens, this.clock())) return (await this.refresh())?.accessToken ?? null;
    return this.tokens.accessToken;
  }

  /** One refresh at a time: concurrent requests wait for the same one (a refresh token works once). */
  refresh(): Promise<Tokens | null> {
    if (!this.tokens) return Promise.resolve(null);
    if (!this.refreshing) {
      const refreshToken = this.tokens.refreshToken;
      this.refreshing = this.refresher(refreshToken)
        .catch(() => null)
        .then((tokens) => {
          if (this.tokens?.refreshToken !== refreshToken) return this.tokens; // signed out meanwhile
          if (tokens) this.store(tokens);
          else this.end('expired');
          return tokens;
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  end(reason: EndReason): void {
    this.endReason = reason;
    this.tokens = null;
    this.storage.removeItem(STORAGE_KEY);
    clearTimeout(this.timer);
    this.notify();
  }

  private store(tokens: Tokens): void {
    this.tokens = tokens;
    this.storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    this.schedule();
    this.notify();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.tokens) return;
    // Timers overflow past 2^31 - 1 ms (about 24.8 days) and would fire at once: wake up then check again.
    const delay = refreshDelay(this.tokens, this.clock());
    this.timer = setTimeout(() => (delay > MAX_TIMER_MS ? this.schedule() : void this.refresh()), Math.min(delay, MAX_TIMER_MS));
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
