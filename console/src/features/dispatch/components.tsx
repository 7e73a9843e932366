/** Pieces the request pages share: a status in words, and an explanation of the dispatch's choice. */
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../meetings/common';
import { explainParts } from './explain';

export function StatusTag({ kind, status, colours }: { kind: 'request' | 'offer' | 'shift'; status: string; colours: Record<string, string> }) {
  const { t } = useTranslation();
  return <Tag color={colours[status] ?? 'default'}>{t(`dispatch.${kind}Status.${status}`, { defaultValue: status })}</Tag>;
}

/** The dispatch's reasons as a list, each part in the reader's language. */
export function Explanation({ text, testId }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const parts = explainParts(text, t, language);
  if (parts.length === 0) return null;
  return (
    <ul data-testid={testId} style={{ margin: 0, paddingInlineStart: 18 }}>
      {parts.map((part, i) => (
        <li key={i}>
          <Typography.Text type="secondary">{part}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
