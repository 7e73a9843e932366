/** The volunteer's approved service hours, by month and by kind of service. */
import { Alert, Card, Empty, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import type { VolunteerHoursQuery } from '../../../gql/graphql';
import { Loading, useLanguage } from '../../bidding/kit';
import { VolunteerHoursDocument } from '../operations';
import { monthText } from '../when';

type Row = VolunteerHoursQuery['byMonth'][number];

export default function HoursPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [{ data, fetching, error }] = useQuery({ query: VolunteerHoursDocument });
  const hours = (value: number) => value.toLocaleString(language, { maximumFractionDigits: 2 });

  if (fetching && !data) return <Loading />;
  const byMonth = [...(data?.byMonth ?? [])].sort((a, b) => b.key.localeCompare(a.key));
  const total = byMonth.reduce((sum, row) => sum + row.hours, 0);
  const shifts = byMonth.reduce((sum, row) => sum + row.shifts, 0);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('volunteering.menu.hours')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={t('bidding.kit.loadFailed')} />}
      <Card>
        <Space size="large" wrap>
          <Statistic title={t('volunteering.hours.total')} value={hours(total)} suffix={t('volunteering.hours.unit')} />
          <Statistic title={t('volunteering.hours.shifts')} value={shifts} />
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('volunteering.hours.explain')}
        </Typography.Paragraph>
      </Card>
      {byMonth.length === 0 ? (
        <Empty description={t('volunteering.hours.none')} />
      ) : (
        <>
          <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>{t('volunteering.hours.byMonth')}</Typography.Title>}>
            <Table<Row>
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={byMonth}
              columns={[
                { title: t('volunteering.hours.month'), dataIndex: 'key', render: (key: string) => monthText(key, language) },
                { title: t('volunteering.hours.hours'), dataIndex: 'hours', align: 'right', render: (v: number) => hours(v) },
                { title: t('volunteering.hours.shifts'), dataIndex: 'shifts', align: 'right' },
              ]}
            />
          </Card>
          <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>{t('volunteering.hours.byCategory')}</Typography.Title>}>
            <Table<Row>
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={data?.byCategory ?? []}
              columns={[
                {
                  title: t('volunteering.hours.category'),
                  dataIndex: 'key',
                  render: (key: string) => t(`volunteering.category.${key}`, { defaultValue: key.replace(/_/g, ' ') }),
                },
                { title: t('volunteering.hours.hours'), dataIndex: 'hours', align: 'right', render: (v: number) => hours(v) },
                { title: t('volunteering.hours.shifts'), dataIndex: 'shifts', align: 'right' },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
