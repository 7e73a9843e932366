/**
 * The joint-meeting times a joint-building unit is invited to help find: the convener's window, who
 * has answered, the best times so far (and whether the unit is free then), and the unit's busy times
 * stated (stating again replaces them).
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Descriptions, Empty, Form, Space, Spin, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import { graphql } from '../../../gql';
import type { UnitSchedulingPollsQuery } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, usePartyName } from '../../meetings/common';
import { TONE } from '../../dispatch/vocabulary';

const UnitSchedulingPollsDocument = graphql(`
  query UnitSchedulingPolls($after: String) {
    # Five a page: each poll's best times list who is free at each (the gateway counts 5 × 20 × 20).
    schedulingPolls(first: 5, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          location
          status
          durationMinutes
          windowStartsAt
          windowEndsAt
          answered {
            id
            name
            type
          }
          invited {
            id
            name
            type
          }
          bestTimes {
            startsAt
            endsAt
            invitedFree {
              id
            }
          }
        }
      }
    }
  }
`);

const UnitStateAvailabilityDocument = graphql(`
  mutation UnitStateAvailability($input: StateAvailabilityInput!) {
    stateAvailability(input: $input) {
      poll {
        id
        answered {
          id
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Busy {
  startsAt: Dayjs;
  endsAt: Dayjs;
}

type Poll = NonNullable<NonNullable<NonNullable<UnitSchedulingPollsQuery['schedulingPolls']>['edges'][number]>['node']>;

export default function PollsPage() {
  const { t } = useTranslation();
  const cursors = useCursors();
  const [{ data, fetching }] = useQuery({ query: UnitSchedulingPollsDocument, variables: { after: cursors.after } });
  const polls = nodes(data?.schedulingPolls);
  return (
    <section aria-labelledby="polls-title">
      <Typography.Title level={1} id="polls-title">
        {t('demands.menu.polls')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('demands.polls.intro')}</Typography.Paragraph>
      {fetching && !data ? <Spin aria-label={t('app.loading')} /> : polls.length === 0 ? <Empty description={t('demands.polls.none')} /> : polls.map((p) => <PollCard key={p.id} poll={p} />)}
      <Pager cursors={cursors} hasNextPage={data?.schedulingPolls?.pageInfo.hasNextPage ?? false} endCursor={data?.schedulingPolls?.pageInfo.endCursor} />
    </section>
  );
}

function PollCard({ poll }: { poll: Poll }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { party } = useViewer();
  const partyName = usePartyName();
  const act = useAct();
  const [form] = Form.useForm<{ busy: Busy[] }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, state] = useMutation(UnitStateAvailabilityDocument);
  const answered = poll.answered.some((p) => p.id === party.id);
  const when = (iso: string) => formatDateTime(iso, language);

  async function onFinish(values: { busy?: Busy[] }) {
    const { unplaced: rest } = await act(
      async () => {
        const busy = (values.busy ?? []).map((b) => ({ startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString() }));
        const r = await state({ input: { pollId: poll.id, busy } });
        return { errors: r.data?.stateAvailability?.errors, failure: r.error?.message };
      },
      { form, done: t('demands.polls.stated'), fields: { pollId: 'busy' } },
    );
    setUnplaced(rest);
  }

  return (
    <Card
      style={{ marginBottom: 16 }}
      title={<h2 className="gz-card-title">{poll.title}</h2>}
      extra={
        <Space>
          <Tag color={poll.status === 'open' ? TONE.blue : TONE.green}>{t(`demands.polls.status.${poll.status}`, { defaultValue: poll.status })}</Tag>
          <Tag color={answered ? TONE.green : TONE.orange}>{t(answered ? 'demands.polls.answered' : 'demands.polls.notAnswered')}</Tag>
        </Space>
      }
    >
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('demands.polls.window')}>
          {when(poll.windowStartsAt)} – {when(poll.windowEndsAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('demands.polls.duration')}>{t('demands.polls.minutes', { n: poll.durationMinutes })}</Descriptions.Item>
        <Descriptions.Item label={t('demands.polls.location')}>{poll.location}</Descriptions.Item>
        <Descriptions.Item label={t('demands.polls.answeredBy')}>
          {t('demands.polls.answeredCount', { answered: poll.answered.length, invited: poll.invited.length })}
          {poll.answered.length > 0 && t('demands.polls.who', { names: poll.answered.map((p) => partyName(p)).join(t('demands.polls.separator')) })}
        </Descriptions.Item>
      </Descriptions>
      {poll.bestTimes.length > 0 && (
        <>
          <h3 style={{ fontSize: 15, marginTop: 12 }}>{t('demands.polls.bestTimes')}</h3>
          <ol style={{ paddingInlineStart: 20 }}>
            {poll.bestTimes.map((b) => (
              <li key={b.startsAt}>
                {when(b.startsAt)} – {formatDateTime(b.endsAt, language)}{' '}
                {b.invitedFree.some((p) => p.id === party.id) && <Tag color={TONE.green}>{t('demands.polls.youAreFree')}</Tag>}
              </li>
            ))}
          </ol>
        </>
      )}
      {poll.status === 'open' && (
        <>
          <h3 style={{ fontSize: 15, marginTop: 12 }}>{t('demands.polls.busyTitle')}</h3>
          <FormAlert errors={unplaced} />
          <Form form={form} onFinish={(v) => void onFinish(v)}>
            <Form.List name="busy">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, 'startsAt']} label={t('demands.polls.from')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
                        <DatePicker showTime={{ format: 'HH:mm', minuteStep: 15 }} format="YYYY-MM-DD HH:mm" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'endsAt']} label={t('demands.polls.to')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
                        <DatePicker showTime={{ format: 'HH:mm', minuteStep: 15 }} format="YYYY-MM-DD HH:mm" />
                      </Form.Item>
                      <Button type="text" aria-label={t('demands.polls.remove')} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Space wrap>
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                      {t('demands.polls.addBusy')}
                    </Button>
                    <Button type="primary" htmlType="submit">
                      {t(fields.length === 0 ? 'demands.polls.allFree' : 'demands.polls.submit')}
                    </Button>
                  </Space>
                </>
              )}
            </Form.List>
          </Form>
        </>
      )}
    </Card>
  );
}
