/** Statuses and categories of the tendering API in words, and their colours. */
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

const PROJECT_COLOURS: Record<string, string> = {
  published: 'blue',
  evaluating: 'gold',
  standstill: 'orange',
  awarded: 'green',
  unsuccessful: 'default',
  cancelled: 'default',
};

export function ProjectStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={PROJECT_COLOURS[status] ?? 'default'}>{t(`bidding.projectStatus.${status}`, { defaultValue: status })}</Tag>;
}

const MILESTONE_COLOURS: Record<string, string> = {
  pending: 'default',
  delivered: 'blue',
  accepted: 'green',
  rejected: 'red',
  overdue: 'red',
};

export function MilestoneStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={MILESTONE_COLOURS[status] ?? 'default'}>{t(`bidding.milestoneStatus.${status}`, { defaultValue: status })}</Tag>;
}

const CONTRACT_COLOURS: Record<string, string> = {
  draft: 'default',
  signed: 'blue',
  active: 'green',
  completed: 'cyan',
  terminated: 'red',
};

export function ContractStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={CONTRACT_COLOURS[status] ?? 'default'}>{t(`bidding.contractStatus.${status}`, { defaultValue: status })}</Tag>;
}

/** A service category ('elderly_care') in words; one the catalogue lacks is shown as written, without underscores. */
export function categoryText(t: TFunction, category: string): string {
  return t(`bidding.category.${category}`, { defaultValue: category.replace(/_/g, ' ') });
}
