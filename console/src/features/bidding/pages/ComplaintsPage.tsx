/** The organisation's complaints against proposed awards, and how the sub-district office decided them. */
import { Card, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import type { BidderComplaintsQuery } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { nodesOf, Pager, TONE, useCursors, useLanguage } from '../kit';
import { BidderComplaintsDocument } from '../operations';

type Complaint = NonNullable<NonNullable<BidderComplaintsQuery['complaints']>['edges'][number]>['node'] & {};

const COLOURS: Record<string, string> = { open: TONE.blue, upheld: TONE.green, dismissed: TONE.red, moot: TONE.default };

export default function ComplaintsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [{ data, fetching, error }] = useQuery({ query: BidderComplaintsDocument, variables: { first: 20, after: cursors.after } });

  const columns: ColumnsType<Complaint> = [
    {
      title: t('bidding.complaint.project'),
      key: 'project',
      render: (_, complaint) =>
        complaint.project ? <Link to={`/tenders/${encodeURIComponent(complaint.project.id)}`}>{complaint.project.title}</Link> : '—',
    },
    { title: t('bidding.complaint.grounds'), dataIndex: 'grounds' },
    { title: t('bidding.complaint.filedAt'), dataIndex: 'filedAt', render: (value: string) => formatDateTime(value, language) },
    {
      title: t('bidding.complaint.status'),
      dataIndex: 'status',
      render: (value: string) => <Tag color={COLOURS[value] ?? TONE.default}>{t(`bidding.complaintStatus.${value}`, { defaultValue: value })}</Tag>,
    },
    {
      title: t('bidding.complaint.resolution'),
      key: 'resolution',
      render: (_, complaint) =>
        complaint.resolution ? (
          <Space direction="vertical" size={0}>
            <span>{complaint.resolution}</span>
            {complaint.resolvedAt && <Typography.Text type="secondary">{formatDateTime(complaint.resolvedAt, language)}</Typography.Text>}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('bidding.complaint.pending')}</Typography.Text>
        ),
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1}>{t('bidding.menu.complaints')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('bidding.complaint.explain')}</Typography.Paragraph>
      <Card>
        <Table
          rowKey="id"
          columns={columns}
          dataSource={nodesOf(data?.complaints)}
          loading={fetching}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: error ? t('bidding.kit.loadFailed') : t('bidding.complaint.none') }}
        />
        <Pager cursors={cursors} pageInfo={data?.complaints?.pageInfo} />
      </Card>
    </Space>
  );
}
