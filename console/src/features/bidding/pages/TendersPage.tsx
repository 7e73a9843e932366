/** The tenders the organisation may bid for (the API lists only those it is eligible for), and its notices. */
import { Card, List, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import type { EligibleProjectsQuery } from '../../../gql/graphql';
import { formatDateTime, formatMoney, relativeDeadline } from '../../../lib/format';
import { nodesOf, Pager, TONE, useCursors, useLanguage } from '../kit';
import { categoryText, ProjectStatusTag } from '../labels';
import { EligibleProjectsDocument, OrganisationNoticesDocument } from '../operations';

type Project = NonNullable<NonNullable<EligibleProjectsQuery['projects']>['edges'][number]>['node'] & {};

const FILTERS = ['published', 'evaluating', 'standstill', 'awarded', 'all'] as const;
const PAGE = 20;

export default function TendersPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('published');
  const cursors = useCursors();
  const [{ data, fetching, error }] = useQuery({
    query: EligibleProjectsDocument,
    variables: { first: PAGE, after: cursors.after, status: filter === 'all' ? null : filter },
  });
  const noticeCursors = useCursors();
  const [notices] = useQuery({
    query: OrganisationNoticesDocument,
    variables: { first: 10, after: noticeCursors.after },
  });

  const columns: ColumnsType<NonNullable<Project>> = [
    {
      title: t('bidding.project.title'),
      dataIndex: 'title',
      render: (_, project) => <Link to={`/tenders/${encodeURIComponent(project.id)}`}>{project.title}</Link>,
    },
    { title: t('bidding.project.category'), dataIndex: 'category', render: (value: string) => categoryText(t, value) },
    {
      title: t('bidding.project.budget'),
      dataIndex: 'budget',
      align: 'right',
      render: (value: string) => formatMoney(value, language),
    },
    {
      title: t('bidding.project.deadline'),
      dataIndex: 'bidDeadline',
      render: (value: string | null | undefined, project) => {
        if (!value) return '—';
        const left = relativeDeadline(value, language);
        return (
          <Space direction="vertical" size={0}>
            <span>{formatDateTime(value, language)}</span>
            {project.status === 'published' && (
              <Typography.Text type={left.urgent || left.overdue ? 'danger' : 'secondary'}>{left.text}</Typography.Text>
            )}
          </Space>
        );
      },
    },
    { title: t('bidding.project.status'), dataIndex: 'status', render: (value: string) => <ProjectStatusTag status={value} /> },
    {
      title: t('bidding.project.myBid'),
      key: 'bid',
      render: (_, project) => {
        const bid = nodesOf(project.bids)[0];
        if (!bid) return <Typography.Text type="secondary">{t('bidding.project.noBid')}</Typography.Text>;
        return <Tag color={bid.status === 'submitted' ? TONE.green : TONE.orange}>{t(`bidding.bidStatus.${bid.status}`)}</Tag>;
      },
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1}>{t('bidding.menu.tenders')}</Typography.Title>
      <Card>
        <Segmented
          aria-label={t('bidding.project.filter')}
          value={filter}
          onChange={(value) => {
            setFilter(value as (typeof FILTERS)[number]);
            cursors.reset();
          }}
          options={FILTERS.map((f) => ({ value: f, label: t(`bidding.filter.${f}`) }))}
          style={{ marginBottom: 16 }}
        />
        <Table
          rowKey="id"
          columns={columns}
          dataSource={nodesOf(data?.projects)}
          loading={fetching}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: error ? t('bidding.kit.loadFailed') : t('bidding.project.none') }}
          caption={
            data?.projects?.totalCount != null ? (
              <Typography.Text type="secondary">{t('bidding.project.count', { n: data.projects.totalCount })}</Typography.Text>
            ) : undefined
          }
        />
        <Pager cursors={cursors} pageInfo={data?.projects?.pageInfo} />
      </Card>
      <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.notices.title')}</Typography.Title>}>
        <List
          loading={notices.fetching}
          dataSource={nodesOf(notices.data?.notices)}
          locale={{ emptyText: t('bidding.notices.none') }}
          renderItem={(notice) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Tag>{t(`bidding.noticeKind.${notice.kind}`, { defaultValue: notice.kind })}</Tag>
                    {notice.project ? (
                      <Link to={`/tenders/${encodeURIComponent(notice.project.id)}`}>{notice.project.title}</Link>
                    ) : null}
                  </Space>
                }
                description={
                  <>
                    {/* The API words notices in English; in Chinese the kind says it. */}
                    <div>{language === 'en' ? notice.message : t(`bidding.noticeText.${notice.kind}`, { defaultValue: notice.message })}</div>
                    <Typography.Text type="secondary">{formatDateTime(notice.createdAt, language)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
        <Pager cursors={noticeCursors} pageInfo={notices.data?.notices?.pageInfo} />
      </Card>
    </Space>
  );
}
