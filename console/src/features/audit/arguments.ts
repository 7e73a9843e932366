/**
 * A mutation's arguments as the audit log keeps them (JSON, secrets already redacted), said for a
 * person: a record's global ID becomes the kind of record it names, a time is formatted, a redacted
 * secret says so. Keys stay the API's input names, the words the action was asked with.
 */
import type { TFunction } from 'i18next';
import { formatDateTime, type Language } from '../../lib/format';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const GLOBAL_ID = /^[A-Za-z0-9+/]{8,}={0,2}$/;

/** The type a global ID names ("Meeting" for base64 "Meeting:<id>"), or null when it is none. */
export function recordType(value: string): string | null {
  if (!GLOBAL_ID.test(value)) return null;
  try {
    const m = /^([A-Z][A-Za-z]+):.+$/.exec(atob(value));
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

export function sayValue(value: unknown, t: TFunction, language: Language): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') {
    if (value === '[redacted]') return t('audit.redacted');
    const type = recordType(value);
    if (type) return t('audit.record', { type: t(`audit.recordType.${type}`, { defaultValue: type }) });
    if (ISO_TIME.test(value)) return formatDateTime(value, language);
    return value;
  }
  if (typeof value === 'boolean') return t(value ? 'audit.yes' : 'audit.no');
  if (typeof value === 'number') return value.toLocaleString(language);
  if (Array.isArray(value)) return value.map((v) => sayValue(v, t, language)).join(language === 'en' ? '; ' : '；');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${sayValue(v, t, language)}`)
      .join(language === 'en' ? ', ' : '，');
  }
  return String(value);
}

/** The argument lines of one entry: `input`'s fields one per line, other arguments beside them. */
export function argumentLines(json: string, t: TFunction, language: Language): { key: string; value: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
    if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const lines: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key === 'input' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) lines.push({ key: k, value: sayValue(v, t, language) });
    } else {
      lines.push({ key, value: sayValue(value, t, language) });
    }
  }
  return lines;
}
