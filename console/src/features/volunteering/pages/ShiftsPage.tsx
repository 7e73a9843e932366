/**
 * The volunteer's shifts with check-in and check-out: check-in opens 30 minutes before the start and
 * closes 15 minutes after it (the API says which when refused); approved shifts show hours and points.
 */
import { Alert, Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { VolunteerShiftsQuery } from '../../../gql/graphql';
import { formatDateTime, formatTime } from '../../../lib/format';
import { Loading, nodesOf, Pager, TONE, useAct, useCursors, useLanguage } from '../../bidding/kit';
import { VolunteerCheckInDocument, VolunteerCheckOutDocument, VolunteerShiftsDocument } from '../operations';
import { timeSpan } from '../when';

type Shift = NonNullable<NonNullable<VolunteerShiftsQuery['shifts']>['edges'][number]>['node'] & {};

const FILTERS = ['all', 'booked', 'checked_in', 'checked_out', 'approved'] as const;
const STATUS_COLOURS: Record<string, string> = {
  booked: TONE.blue,
  checked_in: TONE.gold,
  checked_out: TONE.cyan,
  approved: TONE.green,
  no_show: TONE.red,
  cancelled: TONE.default,
};

function ShiftCard({ shift, onChanged }: { shift: Shift; onChanged: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [{ fetching: checkingIn }, checkIn] = useMutation(VolunteerCheckInDocument);
  const [{ fetching: checkingOut }, checkOut] = useMutation(VolunteerCheckOutDocument);

  return (
    <Card
      data-testid="shift"
      title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18, whiteSpace: 'normal' }}>{shift.request?.title ?? t('volunteering.shifts.shift')}</Typography.Title>}
      extra={<Tag color={STATUS_COLOURS[shift.status] ?? TONE.default}>{t(`volunteering.shiftStatus.${shift.status}`, { defaultValue: shift.status })}</Tag>}
    >
      <Space direction="vertical" size="small" style={{ width: '100%' }}>
        <Typography.Text strong>{timeSpan(shift.startsAt, shift.endsAt, language)}</Typography.Text>
        {shift.request?.location && <span>{t('volunteering.offers.where', { place: shift.request.location })}</span>}
        {shift.checkedInAt && <span>{t('volunteering.shifts.checkedInAt', { time: formatDateTime(shift.checkedInAt, language) })}</span>}
        {shift.checkedOutAt && (
          <span>
            {t('volunteering.shifts.checkedOutAt', { time: formatDateTime(shift.checkedOutAt, language) })}
            {shift.autoCheckedOut && <Typography.Text type="secondary"> {t('volunteering.shifts.auto')}</Typography.Text>}
          </span>
        )}
        {shift.status === 'checked_out' && <Typography.Text type="secondary">{t('volunteering.shifts.awaitingApproval')}</Typography.Text>}
        {shift.status === 'approved' && (
          <Typography.Text type="success">
            {t('volunteering.shifts.approved', { hours: shift.approvedHours ?? 0, points: shift.points ?? 0 })}
          </Typography.Text>
        )}
        {shift.status === 'booked' && (
          <>
            <Typography.Text type="secondary">{t('volunteering.shifts.checkInWindow', { from: formatTime(new Date(new Date(shift.startsAt).getTime() - 30 * 60_000)), to: formatTime(new Date(new Date(shift.startsAt).getTime() + 15 * 60_000)) })}</Typography.Text>
            <Button
              type="primary"
              size="large"
              block
              loading={checkingIn}
              onClick={() =>
                void act(
                  async () => {
                    const answer = await checkIn({ input: { shiftId: shift.id } });
                    return { errors: answer.data?.checkIn?.errors, failed: Boolean(answer.error) };
                  },
                  { done: t('volunteering.shifts.checkedIn') },
                ).then((outcome) => outcome.ok && onChanged())
              }
            >
              {t('volunteering.shifts.checkIn')}
            </Button>
          </>
        )}
        {shift.status === 'checked_in' && (
          <Button
            type="primary"
            size="large"
            block
            loading={checkingOut}
            onClick={() =>
              void act(
                async () => {
                  const answer = await checkOut({ input: { shiftId: shift.id } });
                  return { errors: answer.data?.checkOut?.errors, failed: Boolean(answer.error) };
                },
                { done: t('volunteering.shifts.checkedOut') },
              ).then((outcome) => outcome.ok && onChanged())
            }
          >
            {t('volunteering.shifts.checkOut')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

export default function ShiftsPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all');
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: VolunteerShiftsDocument,
    variables: { first: 10, after: cursors.after, status: filter === 'all' ? null : filter },
  });
  const shifts = nodesOf(data?.shifts);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('volunteering.menu.shifts')}
      </Typography.Title>
      <Segmented
        block
        aria-label={t('volunteering.shifts.filter')}
        value={filter}
        onChange={(value) => {
          setFilter(value as (typeof FILTERS)[number]);
          cursors.reset();
        }}
        options={FILTERS.map((f) => ({ value: f, label: t(`volunteering.shifts.filters.${f}`) }))}
        style={{ overflowX: 'auto' }}
      />
      {error && <Alert type="error" showIcon message={t('bidding.kit.loadFailed')} />}
      {fetching && !data ? (
        <Loading />
      ) : shifts.length === 0 ? (
        <Empty description={t('volunteering.shifts.none')} />
      ) : (
        <List
          dataSource={shifts}
          split={false}
          renderItem={(shift) => (
            <List.Item style={{ display: 'block', padding: '0 0 12px' }}>
              <ShiftCard shift={shift} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
            </List.Item>
          )}
        />
      )}
      <Pager cursors={cursors} pageInfo={data?.shifts?.pageInfo} />
    </Space>
  );
}
