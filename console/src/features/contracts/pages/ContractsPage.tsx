/**
 * The contracts a party may see, by status: the committee's purchases, the contracts serving an owners'
 * committee's compound, the district's for the sub-district office (with the budget for purchasers).
 */
import { Alert, Card, Progress, Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import type { ContractsListQuery } from '../../../gql/graphql';
import { formatDate, formatDateTime, formatMoney } from '../../../lib/format';
import { nodes, Pager, useCursors, useLanguage } from '../../meetings/common';
import Budget from '../Budget';
import { CONTRACT_STATUSES, ContractStatusTag } from '../labels';
import { ContractsListDocument } from '../operations';

type Row = NonNullable<NonNullable<ContractsListQuery['contracts']>['edges'][number]>['node'] & {};
const PAGE = 20;

export default function ContractsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { partyType } = useViewer();
  const [status, setStatus] = useState<string>('active');
  const cursors = useCursors();
  const [{ data, fetching, error }] = useQuery({
    query: ContractsListDocument,
    variables: { first: PAGE, after: cursors.after, status: status === 'all' ? null : status, order: 'AWARDED_AT_DESC' as const },
  });
  const rows = nodes<Row>(data?.contracts);
  const pageInfo = data?.contracts?.pageInfo;
  const purchaser = partyType === 'residents_committee' || partyType === 'street_office';

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ margin: 0 }}>
        {t('contracts.list.title')}
      </Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>
        {t(`contracts.list.intro.${partyType ?? 'residents_committee'}`, { defaultValue: '' })}
        {partyType === 'street_office' && (
          <>
            {' '}
            <Link to="/approvals" style={{ textDecoration: 'underline' }}>
              {t('contracts.list.approvals')}
            </Link>
          </>
        )}
      </Typography.Paragraph>
      {purchaser && <Budget />}
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Segmented
            aria-label={t('contracts.list.filter')}
            value={status}
            onChange={(value) => {
              setStatus(String(value));
              cursors.reset();
            }}
            options={[...CONTRACT_STATUSES, 'all'].map((s) => ({ value: s, label: t(`contracts.filter.${s}`) }))}
          />
          {error && <Alert type="error" showIcon message={t('meetings.common.failed')} />}
          <Table<Row>
            rowKey="id"
            loading={fetching}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: t('contracts.list.empty') }}
            scroll={{ x: 760 }}
            columns={[
              {
                title: t('contracts.fields.title'),
                key: 'title',
                render: (_, row) => <Link to={`/contracts/${encodeURIComponent(row.id)}`}>{row.title}</Link>,
              },
              { title: t('contracts.fields.provider'), key: 'provider', render: (_, row) => row.provider.name },
              { title: t('contracts.fields.status'), key: 'status', render: (_, row) => <ContractStatusTag status={row.status} /> },
              {
                title: t('contracts.fields.value'),
                key: 'value',
                align: 'right',
                render: (_, row) => formatMoney(row.value, language),
              },
              {
                title: t('contracts.fields.period'),
                key: 'period',
                render: (_, row) =>
                  row.periodStart && row.periodEnd
                    ? t('contracts.fields.periodRange', { from: formatDate(row.periodStart, language), to: formatDate(row.periodEnd, language) })
                    : t('contracts.fields.noTerms'),
              },
              {
                title: t('contracts.fields.progress'),
                key: 'progress',
                render: (_, row) => {
                  const accepted = row.milestones.filter((m) => m.status === 'accepted').length;
                  const total = row.milestones.length;
                  if (total === 0) return '—';
                  return (
                    <Progress
                      size="small"
                      percent={Math.round((accepted * 100) / total)}
                      format={() => t('contracts.fields.accepted', { accepted, total })}
                      aria-label={t('contracts.fields.accepted', { accepted, total })}
                    />
                  );
                },
              },
              { title: t('contracts.fields.awardedAt'), key: 'awardedAt', render: (_, row) => formatDateTime(row.awardedAt, language) },
            ]}
          />
          <Pager cursors={cursors} hasNextPage={Boolean(pageInfo?.hasNextPage)} endCursor={pageInfo?.endCursor} />
        </Space>
      </Card>
    </Space>
  );
}
