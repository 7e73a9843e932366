/** The contracts API's statuses in words, with their colours. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const CONTRACT_STATUSES = ['draft', 'signed', 'active', 'completed', 'terminated'] as const;

const CONTRACT_COLOURS: Record<string, string> = {
  draft: 'default',
  signed: 'blue',
  active: 'green',
  completed: 'cyan',
  terminated: 'red',
};

const MILESTONE_COLOURS: Record<string, string> = {
  pending: 'default',
  delivered: 'blue',
  accepted: 'green',
  rejected: 'red',
  overdue: 'volcano',
};

const AMENDMENT_COLOURS: Record<string, string> = { pending: 'gold', approved: 'green', rejected: 'red' };

export function ContractStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={CONTRACT_COLOURS[status] ?? 'default'}>{t(`contracts.status.${status}`, { defaultValue: status })}</Tag>;
}

export function MilestoneStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={MILESTONE_COLOURS[status] ?? 'default'}>{t(`contracts.milestoneStatus.${status}`, { defaultValue: status })}</Tag>;
}

export function AmendmentStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={AMENDMENT_COLOURS[status] ?? 'default'}>{t(`contracts.amendmentStatus.${status}`, { defaultValue: status })}</Tag>;
}
