/** The volunteer's points: the balance and every entry of the ledger, in and out, paged with the API's cursors. */
import { Alert, Card, Empty, List, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { formatDateTime } from '../../../lib/format';
import { Loading, nodesOf, Pager, TONE, useCursors, useLanguage } from '../../bidding/kit';
import { VolunteerPointsDocument } from '../operations';

const KIND_COLOURS: Record<string, string> = { hours: TONE.green, activity: TONE.blue, redemption: TONE.orange };

export default function PointsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [{ data, fetching, error }] = useQuery({ query: VolunteerPointsDocument, variables: { first: 20, after: cursors.after } });
  const entries = nodesOf(data?.pointsAccount.entries);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('volunteering.menu.points')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={t('bidding.kit.loadFailed')} />}
      <Card>
        <Statistic title={t('volunteering.points.balance')} value={data?.pointsAccount.balance ?? 0} loading={fetching && !data} />
        <Link to="/volunteer/rewards">{t('volunteering.points.toShop')}</Link>
      </Card>
      <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>{t('volunteering.points.ledger')}</Typography.Title>}>
        {fetching && !data ? (
          <Loading />
        ) : entries.length === 0 ? (
          <Empty description={t('volunteering.points.none')} />
        ) : (
          <List
            dataSource={entries}
            renderItem={(entry) => (
              <List.Item
                extra={
                  <Typography.Text strong type={entry.amount < 0 ? 'danger' : 'success'} style={{ fontSize: 18 }}>
                    {entry.amount > 0 ? `+${entry.amount}` : entry.amount}
                  </Typography.Text>
                }
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <Tag color={KIND_COLOURS[entry.kind] ?? TONE.default}>{t(`volunteering.pointsKind.${entry.kind}`, { defaultValue: entry.kind })}</Tag>
                      <span>{entry.memo}</span>
                    </Space>
                  }
                  description={formatDateTime(entry.postedAt, language)}
                />
              </List.Item>
            )}
          />
        )}
        <Pager cursors={cursors} pageInfo={data?.pointsAccount.entries?.pageInfo} />
      </Card>
    </Space>
  );
}
