/** The party's joint meetings, coming and past, and scheduling one or a regular series. */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import type { Dayjs } from 'dayjs';
import { useViewer } from '../../../app/viewer';
import { formatDateTime, formatTime } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, usePartyName, StatusTag } from '../common';
import { CreateMeetingSeriesDocument } from '../committeeOperations';
import { MeetingSeriesDocument, MeetingsDocument, ScheduleMeetingDocument } from '../operations';
import { toInstant } from '../time';

const PAGE = 20;

export default function MeetingsPage() {
  const { t } = useTranslation();
  const [when, setWhen] = useState<'coming' | 'past' | 'series'>('coming');
  const [scheduling, setScheduling] = useState(false);
  return (
    <section aria-labelledby="meetings-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={1} id="meetings-title" style={{ margin: 0 }}>
          {t('meetings.list.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setScheduling(true)}>
          {t('meetings.schedule.open')}
        </Button>
      </Space>
      <Tabs
        activeKey={when}
        onChange={(key) => setWhen(key as 'coming' | 'past' | 'series')}
        items={[
          { key: 'coming', label: t('meetings.list.coming'), children: <MeetingTable when="coming" /> },
          { key: 'past', label: t('meetings.list.past'), children: <MeetingTable when="past" /> },
          { key: 'series', label: t('meetings.list.series'), children: <SeriesTable /> },
        ]}
        destroyInactiveTabPane
      />
      {scheduling && <ScheduleModal onClose={() => setScheduling(false)} />}
    </section>
  );
}

function MeetingTable({ when }: { when: 'coming' | 'past' }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const partyName = usePartyName();
  const cursors = useCursors();
  // "Now" fixed for the tab's life: a moving instant would refetch on every render.
  const now = useMemo(() => new Date().toISOString(), []);
  const [{ data, fetching, error }] = useQuery({
    query: MeetingsDocument,
    variables: {
      first: PAGE,
      after: cursors.after,
      filter: when === 'coming' ? { startsAfter: now } : { startsBefore: now },
      orderBy: when === 'coming' ? 'STARTS_AT_ASC' : 'STARTS_AT_DESC',
    },
  });
  const meetings = nodes(data?.meetings);
  return (
    <>
      {error && <Alert type="error" showIcon message={t('meetings.common.failed')} />}
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={meetings}
        pagination={false}
        locale={{ emptyText: t('meetings.list.empty') }}
        scroll={{ x: true }}
        columns={[
          {
            title: t('meetings.fields.title'),
            dataIndex: 'title',
            render: (_, m) => <Link to={`/meetings/${encodeURIComponent(m.id)}`}>{m.title}</Link>,
          },
          {
            title: t('meetings.fields.when'),
            render: (_, m) => `${formatDateTime(m.startsAt, language)}–${formatTime(m.endsAt)}`,
          },
          { title: t('meetings.fields.location'), dataIndex: 'location' },
          {
            title: t('meetings.fields.kind'),
            render: (_, m) => (
              <StatusTag tone={m.kind === 'extraordinary' ? 'orange' : 'blue'}>{t(`meetings.kind.${m.kind}`)}</StatusTag>
            ),
          },
          { title: t('meetings.fields.convener'), render: (_, m) => partyName(m.convener) },
          {
            title: t('meetings.fields.status'),
            render: (_, m) =>
              m.status === 'cancelled' ? (
                <StatusTag tone="red">{t('meetings.status.cancelled')}</StatusTag>
              ) : m.minutes ? (
                <StatusTag tone={m.minutes.status === 'published' ? 'green' : 'gold'}>
                  {t(`meetings.minutesStatus.${m.minutes.status}`)}
                </StatusTag>
              ) : (
                <StatusTag>{t('meetings.status.scheduled')}</StatusTag>
              ),
          },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.meetings?.pageInfo.hasNextPage ?? false} endCursor={data?.meetings?.pageInfo.endCursor} />
    </>
  );
}

/** A series' RRULE in words: 'FREQ=MONTHLY;BYDAY=1TU' → 每月第 1 个星期二. */
function recurrenceInWords(t: (key: string, options?: Record<string, unknown>) => string, rule: string): string {
  const parts = Object.fromEntries(rule.split(';').map((p) => p.split('=') as [string, string]));
  const day = /^(-?\d)?([A-Z]{2})$/.exec(parts.BYDAY ?? '');
  const weekday = day ? t(`meetings.weekday.${WEEKDAYS.indexOf(day[2] ?? '')}`) : '';
  if (parts.FREQ === 'WEEKLY' && weekday) return t('meetings.series.everyWeek', { weekday });
  if (parts.FREQ === 'MONTHLY' && day?.[1] && weekday) return t('meetings.series.everyMonth', { nth: day[1], weekday });
  return t(`meetings.series.freq.${parts.FREQ ?? 'other'}`, { defaultValue: t('meetings.series.freq.other') });
}

function SeriesTable() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [{ data, fetching }] = useQuery({ query: MeetingSeriesDocument, variables: { first: PAGE, after: cursors.after } });
  return (
    <>
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={nodes(data?.meetingSeries)}
        pagination={false}
        locale={{ emptyText: t('meetings.list.noSeries') }}
        scroll={{ x: true }}
        columns={[
          { title: t('meetings.fields.title'), dataIndex: 'title' },
          { title: t('meetings.fields.frequency'), render: (_, s) => recurrenceInWords(t, s.recurrence) },
          { title: t('meetings.fields.firstStartsAt'), render: (_, s) => formatDateTime(s.firstStartsAt, language) },
          { title: t('meetings.fields.durationMinutes'), render: (_, s) => t('meetings.series.duration', { minutes: s.durationMinutes }) },
          { title: t('meetings.fields.location'), dataIndex: 'location' },
          { title: t('meetings.fields.decisionRule'), render: (_, s) => t(`meetings.decisionRule.${s.decisionRule}`) },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.meetingSeries?.pageInfo.hasNextPage ?? false} endCursor={data?.meetingSeries?.pageInfo.endCursor} />
    </>
  );
}

interface MeetingValues {
  title: string;
  location: string;
  startsAt: Dayjs;
  endsAt: Dayjs;
  kind: 'regular' | 'extraordinary';
  reason?: string;
  agendaDeadline?: Dayjs;
}

interface SeriesValues {
  title: string;
  location: string;
  frequency: 'weekly' | 'monthly';
  firstStartsAt: Dayjs;
  durationMinutes: number;
  decisionRule: 'consensus' | 'majority';
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The RRULE of a series starting then: every week on its weekday, or every month on the same nth weekday. */
export function recurrenceOf(frequency: 'weekly' | 'monthly', first: Dayjs): string {
  const day = WEEKDAYS[first.day()];
  if (frequency === 'weekly') return `FREQ=WEEKLY;BYDAY=${day}`;
  const nth = Math.min(Math.ceil(first.date() / 7), 4);
  return `FREQ=MONTHLY;BYDAY=${nth}${day}`;
}

function ScheduleModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const navigate = useNavigate();
  const act = useAct();
  const committee = viewer.partyType === 'residents_committee';
  const [mode, setMode] = useState<'single' | 'series'>('single');
  const [meetingForm] = Form.useForm<MeetingValues>();
  const [seriesForm] = Form.useForm<SeriesValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [, schedule] = useMutation(ScheduleMeetingDocument);
  const [, createSeries] = useMutation(CreateMeetingSeriesDocument);
  const kind = Form.useWatch('kind', meetingForm);
  const seriesFirst = Form.useWatch('firstStartsAt', seriesForm);
  const seriesFrequency = Form.useWatch('frequency', seriesForm);

  async function submitMeeting(values: MeetingValues) {
    setSaving(true);
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await schedule({
          input: {
            title: values.title,
            location: values.location,
            startsAt: toInstant(values.startsAt),
            endsAt: toInstant(values.endsAt),
            kind: values.kind,
            reason: values.kind === 'extraordinary' ? values.reason : undefined,
            agendaDeadline: values.agendaDeadline ? toInstant(values.agendaDeadline) : undefined,
          },
        });
        if (r.data?.scheduleMeeting?.meeting) navigate(`/meetings/${encodeURIComponent(r.data.scheduleMeeting.meeting.id)}`);
        return { errors: r.data?.scheduleMeeting?.errors, failure: r.error?.message };
      },
      { form: meetingForm, done: t('meetings.schedule.done') },
    );
    setSaving(false);
    setUnplaced(rest);
    if (ok) onClose();
  }

  async function submitSeries(values: SeriesValues) {
    setSaving(true);
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await createSeries({
          input: {
            title: values.title,
            location: values.location,
            recurrence: recurrenceOf(values.frequency, values.firstStartsAt),
            firstStartsAt: toInstant(values.firstStartsAt),
            durationMinutes: values.durationMinutes,
            decisionRule: values.decisionRule,
          },
        });
        return { errors: r.data?.createMeetingSeries?.errors, failure: r.error?.message };
      },
      { form: seriesForm, fields: { recurrence: 'frequency' }, done: t('meetings.series.done') },
    );
    setSaving(false);
    setUnplaced(rest);
    if (ok) onClose();
  }

  return (
    <Modal
      open
      title={t('meetings.schedule.title')}
      onCancel={onClose}
      okText={t('meetings.schedule.submit')}
      cancelText={t('meetings.common.cancel')}
      confirmLoading={saving}
      onOk={() => (mode === 'single' ? meetingForm.submit() : seriesForm.submit())}
      destroyOnClose
      width={640}
    >
      {committee && (
        <Segmented
          block
          style={{ marginBottom: 16 }}
          value={mode}
          onChange={(v) => {
            setMode(v as 'single' | 'series');
            setUnplaced([]);
          }}
          options={[
            { value: 'single', label: t('meetings.schedule.single') },
            { value: 'series', label: t('meetings.schedule.series') },
          ]}
        />
      )}
      <FormAlert errors={unplaced} />
      {mode === 'single' ? (
        <Form form={meetingForm} name="schedule-modal-meeting-form" layout="vertical" initialValues={{ kind: 'regular' }} onFinish={(v) => void submitMeeting(v)}>
          <Form.Item name="title" label={t('meetings.fields.title')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="location" label={t('meetings.fields.location')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="startsAt" label={t('meetings.fields.startsAt')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
              <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item
              name="endsAt"
              label={t('meetings.fields.endsAt')}
              dependencies={['startsAt']}
              rules={[
                { required: true, message: t('meetings.validation.required') },
                ({ getFieldValue }) => ({
                  validator: (_, value: Dayjs | undefined) => {
                    const start = getFieldValue('startsAt') as Dayjs | undefined;
                    return !value || !start || value.isAfter(start)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('meetings.validation.endAfterStart')));
                  },
                }),
              ]}
            >
              <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          </Space>
          <Form.Item name="kind" label={t('meetings.fields.kind')}>
            <Select
              options={[
                { value: 'regular', label: t('meetings.kind.regular') },
                { value: 'extraordinary', label: t('meetings.kind.extraordinary') },
              ]}
            />
          </Form.Item>
          {kind === 'extraordinary' && (
            <Form.Item name="reason" label={t('meetings.fields.reason')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.reason') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          <Form.Item name="agendaDeadline" label={t('meetings.fields.agendaDeadline')} extra={t('meetings.schedule.deadlineHint')}>
            <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Form>
      ) : (
        <Form
          form={seriesForm}
          name="schedule-modal-series-form"
          layout="vertical"
          initialValues={{ frequency: 'monthly', durationMinutes: 90, decisionRule: 'consensus' }}
          onFinish={(v) => void submitSeries(v)}
        >
          <Form.Item name="title" label={t('meetings.fields.title')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="location" label={t('meetings.fields.location')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="firstStartsAt" label={t('meetings.fields.firstStartsAt')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
            <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item
            name="frequency"
            label={t('meetings.fields.frequency')}
            extra={seriesFirst ? describeRecurrence(t, seriesFrequency ?? 'monthly', seriesFirst) : undefined}
          >
            <Select
              options={[
                { value: 'weekly', label: t('meetings.series.weekly') },
                { value: 'monthly', label: t('meetings.series.monthly') },
              ]}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name="durationMinutes" label={t('meetings.fields.durationMinutes')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
              <InputNumber min={15} max={720} step={15} addonAfter={t('meetings.series.minutes')} />
            </Form.Item>
            <Form.Item name="decisionRule" label={t('meetings.fields.decisionRule')}>
              <Select
                style={{ minWidth: 160 }}
                options={[
                  { value: 'consensus', label: t('meetings.decisionRule.consensus') },
                  { value: 'majority', label: t('meetings.decisionRule.majority') },
                ]}
              />
            </Form.Item>
          </Space>
        </Form>
      )}
    </Modal>
  );
}

function describeRecurrence(t: (key: string, options?: Record<string, unknown>) => string, frequency: 'weekly' | 'monthly', first: Dayjs): string {
  const weekday = t(`meetings.weekday.${first.day()}`);
  if (frequency === 'weekly') return t('meetings.series.everyWeek', { weekday });
  return t('meetings.series.everyMonth', { nth: Math.min(Math.ceil(first.date() / 7), 4), weekday });
}
