// @parties residents_committee street_office
/**
 * The purchaser's budget as a chart: per year and purchaser, what the contracts commit with the part
 * already paid (the API's remaining is committed less paid).
 */
import { Card, Progress, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formatMoney } from '../../lib/format';
import { useLanguage } from '../meetings/common';
import { ContractsBudgetDocument } from './budgetOperations';

/** Paid as a share of committed, whole percent: money strings compared in fen to stay exact. */
export function paidPercent(committed: string, paid: string): number {
  const fen = (amount: string) => Math.round(Number(amount) * 100);
  const total = fen(committed);
  return total > 0 ? Math.min(100, Math.round((fen(paid) * 100) / total)) : 0;
}

export default function Budget() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [{ data, fetching }] = useQuery({ query: ContractsBudgetDocument });
  const lines = [...(data?.budget ?? [])].sort((a, b) => b.year - a.year || a.purchaserType.localeCompare(b.purchaserType));
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.budget.title')}</Typography.Title>}>
      {fetching && !data ? (
        <Spin aria-label={t('app.loading')} />
      ) : lines.length === 0 ? (
        <Typography.Paragraph>{t('contracts.budget.empty')}</Typography.Paragraph>
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {lines.map((line) => {
            const percent = paidPercent(line.committed, line.paid);
            const label = t('contracts.budget.line', {
              year: line.year,
              purchaser: t(`contracts.purchaser.${line.purchaserType}`, { defaultValue: line.purchaserType }),
              community: line.community?.name ?? t('contracts.budget.wholeDistrict'),
            });
            return (
              <div key={`${line.year}-${line.purchaserType}-${line.community?.id ?? ''}`}>
                <Typography.Text strong>{label}</Typography.Text>
                <Progress
                  percent={percent}
                  aria-label={t('contracts.budget.paidShare', { label, percent })}
                  format={(p) => `${p ?? 0}%`}
                />
                <Space wrap size="large">
                  <span>{t('contracts.budget.committed', { amount: formatMoney(line.committed, language) })}</span>
                  <span>{t('contracts.budget.paid', { amount: formatMoney(line.paid, language) })}</span>
                  <span>{t('contracts.budget.remaining', { amount: formatMoney(line.remaining, language) })}</span>
                </Space>
              </div>
            );
          })}
        </Space>
      )}
    </Card>
  );
}
