/** API errors in words, and the form helper that puts each next to the field it names. */
import type { CombinedError } from '@urql/core';
import type { FormInstance } from 'antd';
import i18next from 'i18next';
import { REQUEST_ERRORS, USER_ERRORS } from './errorCatalogue';
import type { Language } from './format';

export interface ApiUserError {
  field?: string | null;
  code: string;
  message: string;
}

/** The catalogue's words for a code; the API's own sentence when the code is new to the catalogue. */
export function errorText(error: { code?: string | null; message: string }, language: Language): string {
  const words = error.code ? (USER_ERRORS[error.code] ?? REQUEST_ERRORS[error.code]) : undefined;
  return words ? words[language] : error.message;
}

/**
 * A failed query or mutation (urql's CombinedError) in words: the gateway's code from the catalogue,
 * too many requests with the wait, or the network down.
 */
export function describeError(error: CombinedError, language: Language): string {
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code;
  if (error.response?.status === 429 || code === 'limit_exceeded') {
    const wait = Number(first?.extensions?.retryAfter);
    if (wait > 0) return i18next.t('app.rateLimited', { seconds: Math.ceil(wait), lng: language });
  }
  if (first) return errorText({ code: typeof code === 'string' ? code : undefined, message: first.message }, language);
  return i18next.t('app.networkError', { lng: language });
}

/** 'milestones.0.share' → ['milestones', 0, 'share'], antd's name path. */
export function namePath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Shows each error under the form field it names; returns the sentences of the errors that name no
 * field of this form, for the page to show above the form.
 */
export function showApiErrors(form: FormInstance, errors: readonly ApiUserError[], language: Language): string[] {
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const general: string[] = [];
  const known = (name: (string | number)[]) =>
    form.getFieldsError().some((f) => f.name.length === name.length && f.name.every((p, i) => p === name[i]));
  for (const error of errors) {
    const text = errorText(error, language);
    const name = error.field ? namePath(error.field) : null;
    if (name && known(name)) {
      const key = name.join('.');
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(text);
      byField.set(key, entry);
    } else {
      general.push(text);
    }
  }
  form.setFields([...byField.values()]);
  return general;
}
