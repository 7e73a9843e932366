/**
 * One tender's open contracting data as a page: the tender, its bidders once opened, the awards, the
 * contract with its milestones and payments, and every release in order, beside the OCDS downloads.
 */
import { Alert, Card, Descriptions, Empty, List, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { formatDate, formatDateTime, formatMoney, type Language } from '../../../lib/format';
import { Loading, useLanguage } from '../../bidding/kit';
import { moneyString, useFeed, type OcdsContract, type OcdsPeriod, type OcdsValue, type RecordPackage } from '../feed';
import { codeText } from '../labels';
import { PublicLayout } from '../layout';

function money(value: OcdsValue | undefined, language: Language): string {
  return value ? formatMoney(moneyString(value), language) : '—';
}

function period(value: OcdsPeriod | undefined, language: Language, dates: boolean): string {
  if (!value?.startDate && !value?.endDate) return '—';
  const show = (v: string | undefined) => (v ? (dates ? formatDate(v, language) : formatDateTime(v, language)) : '…');
  return `${show(value.startDate)} – ${show(value.endDate)}`;
}

function ContractCard({ contract }: { contract: OcdsContract }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const transactions = contract.implementation?.transactions ?? [];
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>{t('public.contract.title')}</Typography.Title>}>
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
        <Descriptions.Item label={t('public.contract.name')}>{contract.title ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('public.tender.status')}>{contract.status ? codeText(t, 'contractStatus', contract.status) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('public.contract.value')}>{money(contract.value, language)}</Descriptions.Item>
        <Descriptions.Item label={t('public.contract.period')}>{period(contract.period, language, true)}</Descriptions.Item>
        {contract.dateSigned && <Descriptions.Item label={t('public.contract.signed')}>{formatDateTime(contract.dateSigned, language)}</Descriptions.Item>}
        {contract.items && contract.items.length > 0 && (
          <Descriptions.Item label={t('public.contract.items')} span={2}>
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {contract.items.map((item) => (
                <li key={item.id}>{item.description}</li>
              ))}
            </ul>
          </Descriptions.Item>
        )}
      </Descriptions>
      {contract.milestones && contract.milestones.length > 0 && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('public.contract.milestones')}
          </Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={contract.milestones}
            scroll={{ x: 600 }}
            columns={[
              { title: t('public.contract.milestone'), dataIndex: 'title' },
              { title: t('public.contract.due'), dataIndex: 'dueDate', render: (v?: string) => (v ? formatDate(v, language) : '—') },
              { title: t('public.tender.status'), dataIndex: 'status', render: (v?: string) => (v ? codeText(t, 'milestoneStatus', v) : '—') },
              { title: t('public.contract.met'), dataIndex: 'dateMet', render: (v?: string) => (v ? formatDateTime(v, language) : '—') },
            ]}
          />
        </>
      )}
      {transactions.length > 0 && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('public.contract.payments')}
          </Typography.Title>
          <List
            size="small"
            dataSource={transactions}
            renderItem={(payment) => (
              <List.Item>
                {money(payment.value, language)} · {payment.date ? formatDateTime(payment.date, language) : '—'}
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}

export default function TenderDataPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [params] = useSearchParams();
  const ocid = params.get('ocid');
  const recordUrl = ocid ? `/ocds/records?ocid=${encodeURIComponent(ocid)}` : null;
  const releasesUrl = ocid ? `/ocds/releases?ocid=${encodeURIComponent(ocid)}` : null;
  const feed = useFeed<RecordPackage>(recordUrl);
  const record = feed.state === 'loaded' ? feed.body.records[0] : undefined;
  const release = record?.compiledRelease;
  const tender = release?.tender;

  return (
    <PublicLayout title={tender?.title ?? t('public.tender.title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Link to="/open-contracting">{t('public.tender.all')}</Link>
        {recordUrl && (
          <a href={recordUrl} type="application/json">
            {t('public.tender.recordJson')}
          </a>
        )}
        {releasesUrl && (
          <a href={releasesUrl} type="application/json">
            {t('public.tender.releasesJson')}
          </a>
        )}
      </Space>
      {feed.state === 'loading' && <Loading />}
      {feed.state === 'failed' && <Alert type="error" showIcon message={t('public.failed')} />}
      {(feed.state === 'empty' || (feed.state === 'loaded' && !record)) && <Empty description={t('public.tender.none')} />}
      {release && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          {tender && (
            <Card>
              <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                <Descriptions.Item label={t('public.tender.status')}>{tender.status ? <Tag>{codeText(t, 'tenderStatus', tender.status)}</Tag> : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('public.tender.budget')}>{money(tender.value, language)}</Descriptions.Item>
                <Descriptions.Item label={t('public.tender.period')}>{period(tender.tenderPeriod, language, false)}</Descriptions.Item>
                <Descriptions.Item label={t('public.tender.contractPeriod')}>{period(tender.contractPeriod, language, true)}</Descriptions.Item>
                <Descriptions.Item label={t('public.tender.method')}>{t('public.tender.sealed')}</Descriptions.Item>
                <Descriptions.Item label={t('public.tender.bidders')}>
                  {tender.numberOfTenderers != null ? t('public.tender.bidderCount', { n: tender.numberOfTenderers }) : t('public.tender.sealedUntilOpening')}
                </Descriptions.Item>
                {tender.tenderers && tender.tenderers.length > 0 && (
                  <Descriptions.Item label={t('public.tender.tenderers')} span={2}>
                    {tender.tenderers.map((o) => o.name).join('、')}
                  </Descriptions.Item>
                )}
                {tender.statusDetails && (
                  <Descriptions.Item label={t('public.tender.statusDetails')} span={2}>
                    {tender.statusDetails}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('public.tender.description')} span={2}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{tender.description || '—'}</Typography.Paragraph>
                </Descriptions.Item>
                {language === 'en' && tender.awardCriteriaDetails && (
                  <Descriptions.Item label={t('public.tender.criteria')} span={2}>
                    {tender.awardCriteriaDetails}
                  </Descriptions.Item>
                )}
                {language === 'en' && tender.eligibilityCriteria && (
                  <Descriptions.Item label={t('public.tender.eligibility')} span={2}>
                    {tender.eligibilityCriteria}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
          )}
          {release.awards && release.awards.length > 0 && (
            <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>{t('public.award.title')}</Typography.Title>}>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={release.awards}
                scroll={{ x: 600 }}
                columns={[
                  { title: t('public.award.supplier'), key: 'supplier', render: (_, a) => a.suppliers?.map((s) => s.name).join('、') ?? '—' },
                  { title: t('public.award.value'), key: 'value', align: 'right', render: (_, a) => money(a.value, language) },
                  { title: t('public.tender.status'), dataIndex: 'status', render: (v?: string) => (v ? codeText(t, 'awardStatus', v) : '—') },
                  { title: t('public.award.date'), dataIndex: 'date', render: (v?: string) => (v ? formatDateTime(v, language) : '—') },
                ]}
              />
            </Card>
          )}
          {(release.contracts ?? []).map((contract) => (
            <ContractCard key={contract.id} contract={contract} />
          ))}
          <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>{t('public.history.title')}</Typography.Title>}>
            <Timeline
              items={(record?.releases ?? []).map((r) => ({
                key: r.id,
                children: (
                  <span>
                    {formatDateTime(r.date, language)} · {r.tag.map((tag) => codeText(t, 'tag', tag)).join('、')}
                  </span>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
    </PublicLayout>
  );
}
