/** The service contracts the organisation provides, with the next milestone due. */
import { Card, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import type { ProviderContractsQuery } from '../../../gql/graphql';
import { formatDate, formatMoney, relativeDeadline } from '../../../lib/format';
import { nodesOf, Pager, useCursors, useLanguage } from '../kit';
import { ContractStatusTag } from '../labels';
import { ProviderContractsDocument } from '../operations';

type Contract = NonNullable<NonNullable<ProviderContractsQuery['contracts']>['edges'][number]>['node'] & {};

/** The milestone owed next: the earliest one not yet accepted. */
function nextDue(contract: Contract) {
  return [...contract.milestones]
    .filter((m) => m.status !== 'accepted')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
}

export default function ContractsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [{ data, fetching, error }] = useQuery({ query: ProviderContractsDocument, variables: { first: 20, after: cursors.after } });

  const columns: ColumnsType<Contract> = [
    {
      title: t('bidding.contract.title'),
      dataIndex: 'title',
      render: (_, contract) => <Link to={`/service-contracts/${encodeURIComponent(contract.id)}`}>{contract.title}</Link>,
    },
    { title: t('bidding.contract.value'), dataIndex: 'value', align: 'right', render: (value: string) => formatMoney(value, language) },
    { title: t('bidding.contract.status'), dataIndex: 'status', render: (value: string) => <ContractStatusTag status={value} /> },
    {
      title: t('bidding.contract.period'),
      key: 'period',
      render: (_, c) =>
        c.periodStart && c.periodEnd
          ? t('bidding.project.periodRange', { from: formatDate(c.periodStart, language), to: formatDate(c.periodEnd, language) })
          : t('bidding.contract.noTerms'),
    },
    {
      title: t('bidding.contract.nextMilestone'),
      key: 'next',
      render: (_, contract) => {
        const next = nextDue(contract);
        if (!next) return <Typography.Text type="secondary">{t('bidding.contract.allAccepted')}</Typography.Text>;
        const left = relativeDeadline(`${next.dueOn}T23:59:59+08:00`, language);
        return (
          <Space direction="vertical" size={0}>
            <span>{formatDate(next.dueOn, language)}</span>
            <Typography.Text type={left.overdue || left.urgent ? 'danger' : 'secondary'}>{left.text}</Typography.Text>
          </Space>
        );
      },
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1}>{t('bidding.menu.contracts')}</Typography.Title>
      <Card>
        <Table
          rowKey="id"
          columns={columns}
          dataSource={nodesOf(data?.contracts)}
          loading={fetching}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: error ? t('bidding.kit.loadFailed') : t('bidding.contract.none') }}
        />
        <Pager cursors={cursors} pageInfo={data?.contracts?.pageInfo} />
      </Card>
    </Space>
  );
}
