/** Statuses and categories of the tendering API in words, and their colours. */
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { TONE } from './kit';

const PROJECT_COLOURS: Record<string, string> = {
  published: TONE.blue,
  evaluating: TONE.gold,
  standstill: TONE.orange,
  awarded: TONE.green,
  unsuccessful: TONE.default,
  cancelled: TONE.default,
};

export function ProjectStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={PROJECT_COLOURS[status] ?? TONE.default}>{t(`bidding.projectStatus.${status}`, { defaultValue: status })}</Tag>;
}

const MILESTONE_COLOURS: Record<string, string> = {
  pending: TONE.default,
  delivered: TONE.blue,
  accepted: TONE.green,
  rejected: TONE.red,
  overdue: TONE.red,
};

export function MilestoneStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={MILESTONE_COLOURS[status] ?? TONE.default}>{t(`bidding.milestoneStatus.${status}`, { defaultValue: status })}</Tag>;
}

const CONTRACT_COLOURS: Record<string, string> = {
  draft: TONE.default,
  signed: TONE.blue,
  active: TONE.green,
  completed: TONE.cyan,
  terminated: TONE.red,
};

export function ContractStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={CONTRACT_COLOURS[status] ?? TONE.default}>{t(`bidding.contractStatus.${status}`, { defaultValue: status })}</Tag>;
}

/** A service category ('elderly_care') in words; one the catalogue lacks is shown as written, without underscores. */
export function categoryText(t: TFunction, category: string): string {
  return t(`bidding.category.${category}`, { defaultValue: category.replace(/_/g, ' ') });
}
