/**
 * The contracts API's statuses in words, as tags: Ant Design's preset tag colours fall below WCAG's
 * 4.5:1 contrast, so each tag takes darker text of its hue.
 */
import { Tag } from 'antd';
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
