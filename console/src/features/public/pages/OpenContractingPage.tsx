/** Every tender the community has published, from the open contracting records, each linked to its readable page and its data. */
import { Alert, Empty, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDateTime, formatMoney } from '../../../lib/format';
import { Loading, useLanguage } from '../../bidding/kit';
import { moneyString, useFeed, type OcdsRecord, type RecordPackage } from '../feed';
import { codeText, tenderPath } from '../labels';
import { PublicLayout } from '../layout';

const RECORDS = '/ocds/records';
const RELEASES = '/ocds/releases';

export default function OpenContractingPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const feed = useFeed<RecordPackage>(RECORDS);
  const records = feed.state === 'loaded' ? [...feed.body.records].reverse() : [];

  const columns: ColumnsType<OcdsRecord> = [
    {
      title: t('public.tender.name'),
      key: 'title',
      render: (_, record) => <Link to={tenderPath(record.ocid)}>{record.compiledRelease.tender?.title ?? t('public.tender.untitled')}</Link>,
    },
    {
      title: t('public.tender.status'),
      key: 'status',
      render: (_, record) => {
        const status = record.compiledRelease.tender?.status;
        return status ? <Tag>{codeText(t, 'tenderStatus', status)}</Tag> : '—';
      },
    },
    {
      title: t('public.tender.budget'),
      key: 'value',
      align: 'right',
      render: (_, record) => {
        const value = record.compiledRelease.tender?.value;
        return value ? formatMoney(moneyString(value), language) : '—';
      },
    },
    {
      title: t('public.tender.closes'),
      key: 'deadline',
      render: (_, record) => {
        const end = record.compiledRelease.tender?.tenderPeriod?.endDate;
        return end ? formatDateTime(end, language) : '—';
      },
    },
    {
      title: t('public.tender.supplier'),
      key: 'supplier',
      render: (_, record) => {
        const award = (record.compiledRelease.awards ?? []).find((a) => a.status === 'active' || a.status === 'pending');
        return award?.suppliers?.map((s) => s.name).join('、') ?? '—';
      },
    },
  ];

  return (
    <PublicLayout title={t('public.openData.title')}>
      <Typography.Paragraph>{t('public.openData.explain')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <a href={RECORDS} type="application/json">
          {t('public.openData.records')}
        </a>
        <a href={RELEASES} type="application/json">
          {t('public.openData.releases')}
        </a>
      </Space>
      {feed.state === 'loading' && <Loading />}
      {feed.state === 'failed' && <Alert type="error" showIcon message={t('public.failed')} />}
      {feed.state === 'empty' && <Empty description={t('public.openData.none')} />}
      {feed.state === 'loaded' && (
        <Table rowKey="ocid" columns={columns} dataSource={records} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 720 }} />
      )}
    </PublicLayout>
  );
}
