/**
 * The contracts API's statuses in words, and the colours of these pages: the preset tag colours and
 * secondary text of Ant Design fall below WCAG's 4.5:1 contrast, so the tags take darker text of the
 * same hue and the pages a theme with darker links, secondary text and status colours.
 */
import { ConfigProvider, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export const CONTRACT_STATUSES = ['draft', 'signed', 'active', 'completed', 'terminated'] as const;

/** Foreground, background and border of a tag; every foreground is at least 4.5:1 on its background. */
const HUES = {
  grey: ['rgba(0, 0, 0, 0.88)', '#fafafa', '#d9d9d9'],
  blue: ['#0958d9', '#e6f4ff', '#91caff'],
  green: ['#237804', '#f6ffed', '#b7eb8f'],
  cyan: ['#006d75', '#e6fffb', '#87e8de'],
  red: ['#a8071a', '#fff1f0', '#ffa39e'],
  orange: ['#ad2102', '#fff2e8', '#ffbb96'],
  gold: ['#874d00', '#fffbe6', '#ffe58f'],
} as const;
type Hue = keyof typeof HUES;

function HueTag({ hue, children }: { hue: Hue; children: ReactNode }) {
  const [color, background, borderColor] = HUES[hue];
  return <Tag style={{ color, background, borderColor }}>{children}</Tag>;
}

const CONTRACT_HUES: Record<string, Hue> = { draft: 'grey', signed: 'blue', active: 'green', completed: 'cyan', terminated: 'red' };
const MILESTONE_HUES: Record<string, Hue> = { pending: 'grey', delivered: 'blue', accepted: 'green', rejected: 'red', overdue: 'orange' };
const AMENDMENT_HUES: Record<string, Hue> = { pending: 'gold', approved: 'green', rejected: 'red' };

export function ContractStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <HueTag hue={CONTRACT_HUES[status] ?? 'grey'}>{t(`contracts.status.${status}`, { defaultValue: status })}</HueTag>;
}

export function MilestoneStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <HueTag hue={MILESTONE_HUES[status] ?? 'grey'}>{t(`contracts.milestoneStatus.${status}`, { defaultValue: status })}</HueTag>;
}

export function AmendmentStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <HueTag hue={AMENDMENT_HUES[status] ?? 'grey'}>{t(`contracts.amendmentStatus.${status}`, { defaultValue: status })}</HueTag>;
}

export function KindTag({ children }: { children: ReactNode }) {
  return <HueTag hue="grey">{children}</HueTag>;
}

/** The app's theme with the colours of text on white raised to 4.5:1 (links, secondary, statuses). */
export function ContractsTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider
      theme={{
        token: {
          colorLink: '#0958d9',
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
          colorSuccess: '#237804',
          colorWarning: '#ad6800',
          colorError: '#cf1322',
        },
      }}
    >
      {children}
    </ConfigProvider>
  );
}
