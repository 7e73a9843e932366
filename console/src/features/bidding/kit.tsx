/**
 * What the organisation's and the volunteer's pages share: mutations run with their outcome said in
 * words (the API's field errors under the fields, by lib/errors), and lists paged with the API's cursors.
 */
import { App as AntApp, Button, Space, Spin } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, showApiErrors, type ApiUserError } from '../../lib/errors';
import type { Language } from '../../lib/format';

export type ApiError = ApiUserError;

export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export interface Outcome {
  ok: boolean;
  /** The errors no field of the form shows, in words (already said in a message too). */
  unplaced: string[];
}

/**
 * Runs a mutation whose payload has `errors`: field errors go under the form's fields, the others and
 * transport failures to a message; `done` is said when it went through.
 */
export function useAct() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = AntApp.useApp();
  return useCallback(
    async (
      run: () => Promise<{ errors?: readonly ApiError[] | null; failed?: boolean }>,
      options: { form?: FormInstance | null; done?: string } = {},
    ): Promise<Outcome> => {
      const answer = await run();
      if (answer.failed) {
        void message.error(t('bidding.kit.failed'));
        return { ok: false, unplaced: [] };
      }
      const errors = answer.errors ?? [];
      if (errors.length === 0) {
        if (options.done) void message.success(options.done);
        return { ok: true, unplaced: [] };
      }
      const unplaced = options.form ? showApiErrors(options.form, errors, language) : errors.map((e) => errorText(e, language));
      for (const text of unplaced) void message.error(text);
      return { ok: false, unplaced };
    },
    [language, message, t],
  );
}

/** The time now, renewed every half minute: deadlines said in words stay current while a page is open. */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The cursors of the pages seen, so a list pages forward and back with the API's cursors. */
export function useCursors() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    after: stack[stack.length - 1] ?? null,
    page: stack.length,
    next: (endCursor: string | null | undefined) => {
      if (endCursor) setStack((s) => [...s, endCursor]);
    },
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}

export type Cursors = ReturnType<typeof useCursors>;

export function Pager({ cursors, pageInfo }: { cursors: Cursors; pageInfo?: { hasNextPage: boolean; endCursor?: string | null } | null }) {
  const { t } = useTranslation();
  if (cursors.page === 1 && !pageInfo?.hasNextPage) return null;
  return (
    <nav aria-label={t('bidding.kit.pages')} style={{ marginTop: 16, textAlign: 'right' }}>
      <Space>
        <Button onClick={cursors.previous} disabled={cursors.page === 1}>
          {t('bidding.kit.previous')}
        </Button>
        <span aria-live="polite">{t('bidding.kit.page', { page: cursors.page })}</span>
        <Button onClick={() => cursors.next(pageInfo?.endCursor)} disabled={!pageInfo?.hasNextPage}>
          {t('bidding.kit.next')}
        </Button>
      </Space>
    </nav>
  );
}

/** A connection's nodes, the empty edges (records gone since the page was read) left out. */
export function nodesOf<T>(connection: { edges: readonly ({ node?: T | null } | null)[] } | null | undefined): T[] {
  return (connection?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
}

/** A page or list still loading, said in words for screen readers as well. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <div role="status" style={{ padding: 24, textAlign: 'center' }}>
      <Spin /> <span>{t('app.loading')}</span>
    </div>
  );
}

/**
 * Tag colours dark enough for white text (WCAG AA, 4.5:1 and more): Ant Design's preset tag colours
 * (light text on a tint) fall short of it, 2.7–3.4:1.
 */
export const TONE = {
  blue: '#0958d9',
  green: '#237804',
  gold: '#874d00',
  orange: '#ad4e00',
  red: '#a8071a',
  cyan: '#006d75',
  default: 'default',
} as const;
