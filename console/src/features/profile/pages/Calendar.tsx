/**
 * The iCalendar feed address for a calendar app. The API keeps only the key's hash, so the address is
 * shown once, when made; making a new one stops the old one, and it can be stopped outright.
 */
import { Alert, App as AntApp, Button, Card, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { currentLanguage } from '../../../app/i18n';
import { graphql } from '../../../gql';
import { describeError, errorText } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';

const CalendarKey = graphql(`
  query CalendarKey {
    viewer {
      accountId
      calendarKeyIssuedAt
    }
  }
`);

const RotateCalendarKey = graphql(`
  mutation RotateCalendarKey {
    rotateCalendarKey {
      calendarUrl
      errors {
        field
        code
        message
      }
    }
  }
`);

const RevokeCalendarKey = graphql(`
  mutation RevokeCalendarKey {
    revokeCalendarKey {
      revoked
      errors {
        field
        code
        message
      }
    }
  }
`);

/** Calendar apps subscribe with webcal://; the same address over https downloads the file once. */
export function webcal(url: string): string {
  return url.replace(/^https?:/, 'webcal:');
}

export default function Calendar() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { message } = AntApp.useApp();
  const [{ data, error }, refetch] = useQuery({ query: CalendarKey });
  const [rotation, rotate] = useMutation(RotateCalendarKey);
  const [revocation, revoke] = useMutation(RevokeCalendarKey);
  const [address, setAddress] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const issuedAt = data?.viewer.calendarKeyIssuedAt;

  async function onRotate() {
    setProblem(null);
    const result = await rotate({});
    const answer = result.data?.rotateCalendarKey;
    if (answer?.calendarUrl) {
      setAddress(answer.calendarUrl);
      refetch({ requestPolicy: 'network-only' });
    } else {
      setProblem(answer?.errors[0] ? errorText(answer.errors[0], language) : (result.error ? describeError(result.error, language) : ''));
    }
  }

  async function onRevoke() {
    setProblem(null);
    const result = await revoke({});
    const answer = result.data?.revokeCalendarKey;
    if (answer && answer.errors.length === 0) {
      setAddress(null);
      void message.success(t('profile.calendar.revoked'));
      refetch({ requestPolicy: 'network-only' });
    } else {
      setProblem(answer?.errors[0] ? errorText(answer.errors[0], language) : (result.error ? describeError(result.error, language) : ''));
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 760 }}>
      <Typography.Title level={1} style={{ margin: 0 }}>
        {t('profile.calendar.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('profile.calendar.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={describeError(error, language)} />}
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Card>
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Text>
            {issuedAt
              ? t('profile.calendar.issued', { when: formatDateTime(issuedAt, language) })
              : t('profile.calendar.none')}
          </Typography.Text>
          {address && (
            <Alert
              type="success"
              showIcon
              message={t('profile.calendar.shownOnce')}
              description={
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Text copyable={{ text: address }} code style={{ wordBreak: 'break-all' }}>
                    {address}
                  </Typography.Text>
                  <Typography.Link href={webcal(address)}>{t('profile.calendar.open')}</Typography.Link>
                </Space>
              }
            />
          )}
          <Space wrap>
            {issuedAt ? (
              <Popconfirm title={t('profile.calendar.rotateConfirm')} onConfirm={() => void onRotate()} okText={t('profile.calendar.rotate')} cancelText={t('profile.cancel')}>
                <Button type="primary" loading={rotation.fetching}>
                  {t('profile.calendar.rotate')}
                </Button>
              </Popconfirm>
            ) : (
              <Button type="primary" loading={rotation.fetching} onClick={() => void onRotate()}>
                {t('profile.calendar.make')}
              </Button>
            )}
            {issuedAt && (
              <Popconfirm title={t('profile.calendar.revokeConfirm')} onConfirm={() => void onRevoke()} okText={t('profile.calendar.revoke')} cancelText={t('profile.cancel')}>
                <Button danger loading={revocation.fetching}>
                  {t('profile.calendar.revoke')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        </Space>
      </Card>
    </Space>
  );
}
