/** The ranking as the bidders see it once the award is proposed: who, what price, each criterion's score. */
import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/format';
import { useLanguage } from './kit';
import type { RankedBid } from './types';

export function ResultsTable({ results }: { results: readonly RankedBid[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const score = (value: number) => value.toLocaleString(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const columns: ColumnsType<RankedBid> = [
    { title: t('bidding.results.rank'), dataIndex: 'rank', width: 72 },
    { title: t('bidding.results.organisation'), key: 'organisation', render: (_, row) => row.organisation.name },
    { title: t('bidding.results.price'), dataIndex: 'price', align: 'right', render: (value: string) => formatMoney(value, language) },
    { title: t('bidding.results.priceScore'), key: 'price', align: 'right', render: (_, row) => score(row.scores.price) },
    { title: t('bidding.results.planScore'), key: 'plan', align: 'right', render: (_, row) => score(row.scores.planQuality) },
    { title: t('bidding.results.experienceScore'), key: 'experience', align: 'right', render: (_, row) => score(row.scores.experience) },
    { title: t('bidding.results.reputationScore'), key: 'reputation', align: 'right', render: (_, row) => score(row.scores.reputation) },
    { title: t('bidding.results.total'), dataIndex: 'total', align: 'right', render: (value: number) => <strong>{score(value)}</strong> },
  ];
  return <Table rowKey="rank" columns={columns} dataSource={[...results]} pagination={false} size="small" scroll={{ x: 760 }} />;
}
