/** The signed-in party as the platform knows it; a social organisation also sees its filing. */
import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { currentLanguage } from '../../../app/i18n';
import { useViewer } from '../../../app/viewer';
import { describeError } from '../../../lib/errors';
import { formatDate } from '../../../lib/format';
import { OwnFiling } from '../filing';

const STATUS_COLOURS: Record<string, string> = {
  pending: 'blue',
  approved: 'green',
  changes_requested: 'orange',
  rejected: 'red',
  suspended: 'red',
};

function Filing() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [{ data, error, fetching }] = useQuery({ query: OwnFiling });
  const filing = data?.organisationFilings?.edges[0]?.node;
  if (error) return <Alert type="error" showIcon message={describeError(error, language)} />;
  return (
    <Card loading={fetching && !data} title={<h2 className="gz-card-heading">{t('profile.filing.title')}</h2>}>
      {!filing ? (
        <Typography.Text type="secondary">{t('profile.filing.none')}</Typography.Text>
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
            <Descriptions.Item label={t('profile.filing.name')}>{filing.name}</Descriptions.Item>
            <Descriptions.Item label={t('profile.filing.status')}>
              <Tag color={STATUS_COLOURS[filing.status]}>{t(`profile.filing.statuses.${filing.status}`, filing.status)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('profile.filing.creditCode')}>{filing.creditCode}</Descriptions.Item>
            <Descriptions.Item label={t('profile.filing.legalForm')}>{filing.legalForm}</Descriptions.Item>
            <Descriptions.Item label={t('profile.filing.categories')}>{filing.categories.join('、')}</Descriptions.Item>
            <Descriptions.Item label={t('profile.filing.staff')}>{filing.staffCount}</Descriptions.Item>
            {filing.reviewNote && (
              <Descriptions.Item label={t('profile.filing.reviewNote')} span={2}>
                {filing.reviewNote}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table
            size="small"
            rowKey="number"
            pagination={false}
            caption={t('profile.filing.qualifications')}
            dataSource={filing.qualifications}
            columns={[
              { title: t('profile.filing.qualification'), dataIndex: 'name' },
              { title: t('profile.filing.number'), dataIndex: 'number' },
              { title: t('profile.filing.expires'), dataIndex: 'expiresOn', render: (d: string) => formatDate(d, language) },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}

export default function Profile() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const partyName = t(`parties.${viewer.partyType}`);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ margin: 0 }}>
        {t('profile.title')}
      </Typography.Title>
      <Card title={<h2 className="gz-card-heading">{viewer.party.name ?? partyName}</h2>}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('profile.partyType')}>{partyName}</Descriptions.Item>
          {viewer.district && <Descriptions.Item label={t('profile.district')}>{viewer.district.name}</Descriptions.Item>}
          {viewer.community && <Descriptions.Item label={t('profile.community')}>{viewer.community.name}</Descriptions.Item>}
          {viewer.compound && <Descriptions.Item label={t('profile.compound')}>{viewer.compound.name}</Descriptions.Item>}
        </Descriptions>
      </Card>
      {viewer.partyType === 'social_organisation' && <Filing />}
    </Space>
  );
}
