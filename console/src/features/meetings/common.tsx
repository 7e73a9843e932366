/**
 * What the committee's, the office's and the meetings' pages share: the API's errors put next to the
 * fields they name, lists paged with the API's cursors, a party's name in words.
 */
import { Alert, App as AntApp, Button, Space, Tag } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, showApiErrors, type ApiUserError } from '../../lib/errors';
import type { Language } from '../../lib/format';

export type ApiError = ApiUserError;

export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/**
 * Puts each error under the form field it names (`fields` maps an input name the form has no field
 * for, such as meetingId, to the field that stands for it); returns the sentences no field shows.
 */
export function placeErrors(
  form: FormInstance,
  errors: readonly ApiError[],
  language: Language,
  fields: Record<string, string> = {},
): string[] {
  const renamed = errors.map((e) => (e.field && fields[e.field] ? { ...e, field: fields[e.field] } : e));
  return showApiErrors(form, renamed, language);
}

/** The errors no field shows, in words. */
export function FormAlert({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      message={errors.length === 1 ? errors[0] : undefined}
      description={
        errors.length > 1 ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

/**
 * Runs a mutation whose payload carries `errors`: true when it went through. Transport or GraphQL
 * failures and errors naming no field are shown as a message.
 */
export function useAct() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = AntApp.useApp();
  return useCallback(
    async (
      run: () => Promise<{ errors?: readonly ApiError[] | null; failure?: string | undefined }>,
      options: { form?: FormInstance | null; fields?: Record<string, string>; done?: string } = {},
    ): Promise<{ ok: boolean; unplaced: string[] }> => {
      const answer = await run();
      if (answer.failure) {
        void message.error(t('meetings.common.failed'));
        return { ok: false, unplaced: [] };
      }
      const errors = answer.errors ?? [];
      if (errors.length === 0) {
        if (options.done) void message.success(options.done);
        return { ok: true, unplaced: [] };
      }
      if (!options.form) {
        for (const e of errors) void message.error(errorText(e, language));
        return { ok: false, unplaced: [] };
      }
      return { ok: false, unplaced: placeErrors(options.form, errors, language, options.fields) };
    },
    [language, message, t],
  );
}

/** Forward and back through a connection with its cursors: the cursors of the pages seen are kept. */
export function useCursors() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const after = stack[stack.length - 1] ?? null;
  return {
    after,
    page: stack.length,
    next: (endCursor: string | null | undefined) => {
      if (endCursor) setStack((s) => [...s, endCursor]);
    },
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}

export function Pager({
  cursors,
  hasNextPage,
  endCursor,
}: {
  cursors: ReturnType<typeof useCursors>;
  hasNextPage: boolean;
  endCursor: string | null | undefined;
}) {
  const { t } = useTranslation();
  if (cursors.page === 1 && !hasNextPage) return null;
  return (
    <nav aria-label={t('meetings.common.pages')}>
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.page === 1} onClick={cursors.previous}>
          {t('meetings.common.previous')}
        </Button>
        <span>{t('meetings.common.page', { page: cursors.page })}</span>
        <Button disabled={!hasNextPage} onClick={() => cursors.next(endCursor)}>
          {t('meetings.common.next')}
        </Button>
      </Space>
    </nav>
  );
}

/** A party in words: its name, else its kind. */
export function usePartyName() {
  const { t } = useTranslation();
  return useCallback(
    (party: { name?: string | null; type: string } | null | undefined) =>
      party ? (party.name ?? t(`parties.${party.type.toLowerCase()}`)) : '',
    [t],
  );
}

/** Connection edges to their nodes. */
export function nodes<T>(connection: { edges: readonly ({ node?: T | null } | null)[] } | null | undefined): T[] {
  return (connection?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
}

/**
 * Ant Design's coloured tags fall below WCAG's 4.5:1 for their 12 px text (gold 2.75:1, green 3.37:1):
 * the same hues, the text in the palette's darkest shade.
 */
const TONES: Record<string, { color: string; background: string; borderColor: string }> = {
  default: { color: '#262626', background: '#fafafa', borderColor: '#d9d9d9' },
  blue: { color: '#003eb3', background: '#e6f4ff', borderColor: '#91caff' },
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  gold: { color: '#613400', background: '#fffbe6', borderColor: '#ffe58f' },
  orange: { color: '#612500', background: '#fff7e6', borderColor: '#ffd591' },
  red: { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' },
  purple: { color: '#22075e', background: '#f9f0ff', borderColor: '#d3adf7' },
};

export function StatusTag({ tone = 'default', children }: { tone?: string | undefined; children: ReactNode }) {
  return <Tag style={TONES[tone] ?? TONES.default}>{children}</Tag>;
}
