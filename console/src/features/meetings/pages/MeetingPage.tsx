/**
 * One joint meeting, each party acting for itself: the agenda (ordered by drag or by keyboard),
 * attendance, resolutions with every core party's position as it comes in, the minutes with their
 * sign-off, and the action items that follow an adopted resolution.
 */
import { ArrowDownOutlined, ArrowUpOutlined, HolderOutlined } from '@ant-design/icons';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import { formatDateTime, formatMoney, formatTime, isMoney } from '../../../lib/format';
import type { MeetingQuery } from '../../../gql/graphql';
import { FormAlert, nodes, useAct, useLanguage, usePartyName, StatusTag } from '../common';
import { AcceptAgendaItemDocument, AssignActionItemDocument, DeferAgendaItemDocument, OrderAgendaDocument, RecordResolutionDocument, WriteMinutesDocument } from '../committeeOperations';
import { AskMinutesCorrectionDocument, MeetingDocument, SignInToMeetingDocument, SignMinutesOffDocument, SubmitAgendaItemDocument, TakePositionDocument } from '../operations';
import { toInstant } from '../time';

type Meeting = Extract<NonNullable<MeetingQuery['node']>, { __typename: 'Meeting' }>;
type AgendaItem = NonNullable<NonNullable<Meeting['agenda']>['edges'][number]>['node'] & object;
type Resolution = NonNullable<NonNullable<Meeting['resolutions']>['edges'][number]>['node'] & object;
type Party = Meeting['members'][number];

const CORE_TYPES = ['RESIDENTS_COMMITTEE', 'OWNERS_COMMITTEE', 'PROPERTY_COMPANY'];
/** Positions arrive from the other parties: the page asks again this often while one is awaited. */
const POLL_MS = 5000;

export default function MeetingPage() {
  const { t } = useTranslation();
  const { meetingId = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: MeetingDocument, variables: { id: meetingId } });
  const meeting = data?.node?.__typename === 'Meeting' ? data.node : null;
  const awaiting = nodes(meeting?.resolutions).some((r) => r.status === 'proposed');
  useEffect(() => {
    if (!awaiting) return undefined;
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [awaiting, refetch]);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (!meeting) {
    if (fetching) return <Spin tip={t('meetings.common.loading')}><div style={{ padding: 48 }} /></Spin>;
    return (
      <Result
        status={error ? 'error' : '404'}
        title={error ? t('meetings.common.failed') : t('meetings.meeting.notFound')}
        extra={<Link to="/meetings">{t('meetings.meeting.back')}</Link>}
      />
    );
  }
  return (
    <article aria-labelledby="meeting-title">
      <Typography.Title level={1} id="meeting-title">
        {meeting.title}
      </Typography.Title>
      <Overview meeting={meeting} />
      <Agenda meeting={meeting} reload={reload} />
      <AttendanceCard meeting={meeting} reload={reload} />
      <Resolutions meeting={meeting} reload={reload} />
      <MinutesCard meeting={meeting} reload={reload} />
    </article>
  );
}

function Overview({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const partyName = usePartyName();
  return (
    <Card style={{ marginBottom: 16 }}>
      {meeting.status === 'cancelled' && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('meetings.meeting.cancelled', { reason: meeting.cancelledReason ?? '' })} />
      )}
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('meetings.fields.when')}>
          {formatDateTime(meeting.startsAt, language)}–{formatTime(meeting.endsAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('meetings.fields.location')}>{meeting.location}</Descriptions.Item>
        <Descriptions.Item label={t('meetings.fields.kind')}>{t(`meetings.kind.${meeting.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('meetings.fields.decisionRule')}>{t(`meetings.decisionRule.${meeting.decisionRule}`)}</Descriptions.Item>
        <Descriptions.Item label={t('meetings.fields.convener')}>{partyName(meeting.convener)}</Descriptions.Item>
        {meeting.agendaDeadline && (
          <Descriptions.Item label={t('meetings.fields.agendaDeadline')}>{formatDateTime(meeting.agendaDeadline, language)}</Descriptions.Item>
        )}
        {meeting.reason && <Descriptions.Item label={t('meetings.fields.reason')}>{meeting.reason}</Descriptions.Item>}
        <Descriptions.Item label={t('meetings.fields.members')}>{meeting.members.map(partyName).join('、')}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function Agenda({ meeting, reload }: { meeting: Meeting; reload: () => void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const act = useAct();
  const partyName = usePartyName();
  const committee = viewer.partyType === 'residents_committee';
  const items = useMemo(() => nodes(meeting.agenda).sort((a, b) => a.position - b.position), [meeting.agenda]);
  // The order shown while a new one is being saved.
  const [order, setOrder] = useState<string[] | null>(null);
  const shown = order ? order.flatMap((id) => items.filter((i) => i.id === id)) : items;
  const [, orderAgenda] = useMutation(OrderAgendaDocument);
  const [, accept] = useMutation(AcceptAgendaItemDocument);
  const [, defer] = useMutation(DeferAgendaItemDocument);
  const [, submit] = useMutation(SubmitAgendaItemDocument);
  const [form] = Form.useForm<{ title: string; description?: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const canOrder = committee && meeting.status === 'scheduled' && items.length > 1;

  async function saveOrder(ids: string[]) {
    setOrder(ids);
    await act(
      async () => {
        const r = await orderAgenda({ input: { meetingId: meeting.id, itemIds: ids } });
        return { errors: r.data?.orderAgenda?.errors, failure: r.error?.message };
      },
      { done: t('meetings.agenda.ordered') },
    );
    reload();
    setOrder(null);
  }

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    const ids = shown.map((i) => i.id);
    void saveOrder(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  }

  function move(index: number, by: number) {
    const ids = shown.map((i) => i.id);
    void saveOrder(arrayMove(ids, index, index + by));
  }

  async function decide(item: AgendaItem, how: 'accept' | 'defer') {
    await act(
      async () => {
        if (how === 'accept') {
          const r = await accept({ input: { agendaItemId: item.id } });
          return { errors: r.data?.acceptAgendaItem?.errors, failure: r.error?.message };
        }
        const r = await defer({ input: { agendaItemId: item.id } });
        return { errors: r.data?.deferAgendaItem?.errors, failure: r.error?.message };
      },
      { done: t(`meetings.agenda.${how}ed`) },
    );
    reload();
  }

  async function onSubmit(values: { title: string; description?: string }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await submit({ input: { meetingId: meeting.id, title: values.title, description: values.description } });
        return { errors: r.data?.submitAgendaItem?.errors, failure: r.error?.message };
      },
      { form, fields: { meetingId: 'title' }, done: t('meetings.agenda.submitted') },
    );
    setUnplaced(rest);
    if (ok) {
      form.resetFields();
      reload();
    }
  }

  return (
    <Card title={<h3 className="gz-card-title">{t('meetings.agenda.title')}</h3>} style={{ marginBottom: 16 }}>
      {canOrder && <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('meetings.agenda.orderHint')}</Typography.Paragraph>}
      {shown.length === 0 ? (
        <Empty description={t('meetings.agenda.empty')} />
      ) : (
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext items={shown.map((i) => i.id)} strategy={verticalListSortingStrategy}>
            <ol className="gz-agenda" aria-label={t('meetings.agenda.title')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {shown.map((item, index) => (
                <SortableItem key={item.id} id={item.id} draggable={canOrder} label={t('meetings.agenda.dragHandle', { title: item.title })}>
                  <Space direction="vertical" size={2} style={{ flex: 1 }}>
                    <Space wrap>
                      <Typography.Text strong>
                        {index + 1}. {item.title}
                      </Typography.Text>
                      <StatusTag tone={item.status === 'accepted' ? 'green' : item.status === 'deferred' ? 'default' : 'blue'}>
                        {t(`meetings.agendaStatus.${item.status}`)}
                      </StatusTag>
                    </Space>
                    {/* Items the platform adds (an event, an action item to follow) carry its own English note, not a party's words. */}
                    {item.description && (item.source === 'party' || item.source === 'deferral') && <Typography.Text>{item.description}</Typography.Text>}
                    <Typography.Text style={{ color: 'rgba(0, 0, 0, 0.65)' }}>
                      {item.submittedBy
                        ? t('meetings.agenda.submittedBy', { party: partyName(item.submittedBy) })
                        : t(`meetings.agendaSource.${item.source}`)}
                    </Typography.Text>
                  </Space>
                  <Space wrap>
                    {canOrder && (
                      <>
                        <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t('meetings.agenda.moveUp', { title: item.title })} onClick={() => move(index, -1)} />
                        <Button size="small" icon={<ArrowDownOutlined />} disabled={index === shown.length - 1} aria-label={t('meetings.agenda.moveDown', { title: item.title })} onClick={() => move(index, 1)} />
                      </>
                    )}
                    {committee && item.status === 'proposed' && meeting.status === 'scheduled' && (
                      <>
                        <Button size="small" onClick={() => void decide(item, 'accept')}>
                          {t('meetings.agenda.accept')}
                        </Button>
                        <Button size="small" onClick={() => void decide(item, 'defer')}>
                          {t('meetings.agenda.defer')}
                        </Button>
                      </>
                    )}
                  </Space>
                </SortableItem>
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}
      {meeting.status === 'scheduled' && (
        <Form form={form} name="agenda" layout="vertical" onFinish={(v) => void onSubmit(v)} style={{ marginTop: 24 }} aria-label={t('meetings.agenda.submitTitle')}>
          <Typography.Title level={4}>{t('meetings.agenda.submitTitle')}</Typography.Title>
          <FormAlert errors={unplaced} />
          <Form.Item name="title" label={t('meetings.agenda.itemTitle')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('meetings.agenda.itemDescription')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Button htmlType="submit">{t('meetings.agenda.submit')}</Button>
        </Form>
      )}
    </Card>
  );
}

function SortableItem({ id, draggable, label, children }: { id: string; draggable: boolean; label: string; children: React.ReactNode }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id, disabled: !draggable });
  return (
    <li
      ref={setNodeRef}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        display: 'flex',
        gap: 12,
        alignItems: 'flex-start',
        padding: '12px 8px',
        borderBottom: '1px solid #f0f0f0',
        background: isDragging ? '#e6f4ff' : undefined,
      }}
    >
      {draggable && (
        <Button type="text" size="small" icon={<HolderOutlined />} aria-label={label} {...attributes} {...listeners} style={{ cursor: 'grab' }} />
      )}
      {children}
    </li>
  );
}

function AttendanceCard({ meeting, reload }: { meeting: Meeting; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useViewer();
  const partyName = usePartyName();
  const act = useAct();
  const [, signIn] = useMutation(SignInToMeetingDocument);
  const [form] = Form.useForm<{ delegate: string }>();
  const attendance = nodes(meeting.attendance);
  const mine = attendance.some((a) => a.party.id === viewer.party.id);
  const rows = meeting.members.map((member) => ({ member, signed: attendance.find((a) => a.party.id === member.id) }));

  async function onSignIn(values: { delegate: string }) {
    const { ok } = await act(
      async () => {
        const r = await signIn({ input: { meetingId: meeting.id, delegate: values.delegate } });
        return { errors: r.data?.signInToMeeting?.errors, failure: r.error?.message };
      },
      { form, fields: { meetingId: 'delegate' }, done: t('meetings.attendance.signedIn') },
    );
    if (ok) reload();
  }

  return (
    <Card title={<h3 className="gz-card-title">{t('meetings.attendance.title')}</h3>} style={{ marginBottom: 16 }}>
      <Table
        rowKey={(r) => r.member.id}
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('meetings.attendance.party'), render: (_, r) => partyName(r.member) },
          {
            title: t('meetings.attendance.role'),
            render: (_, r) => (CORE_TYPES.includes(r.member.type) ? t('meetings.attendance.core') : t('meetings.attendance.invited')),
          },
          { title: t('meetings.attendance.delegate'), render: (_, r) => r.signed?.delegate ?? '—' },
          {
            title: t('meetings.attendance.signedInAt'),
            render: (_, r) => (r.signed ? formatDateTime(r.signed.signedInAt, language) : <StatusTag>{t('meetings.attendance.absent')}</StatusTag>),
          },
        ]}
      />
      {!mine && meeting.status === 'scheduled' && (
        <Form form={form} name="attendance-card" layout="inline" onFinish={(v) => void onSignIn(v)} style={{ marginTop: 16 }}>
          <Form.Item name="delegate" label={t('meetings.attendance.delegate')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('meetings.attendance.signIn')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

interface ResolutionValues {
  title: string;
  text: string;
  decisionType: 'PURCHASE_SERVICE' | 'DISPATCH_VOLUNTEERS' | 'ASSIGN_PROPERTY_COMPANY' | 'OTHER';
  budget?: string;
  category?: string;
  agendaItemId?: string;
}

function Resolutions({ meeting, reload }: { meeting: Meeting; reload: () => void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const act = useAct();
  const committee = viewer.partyType === 'residents_committee';
  const [, record] = useMutation(RecordResolutionDocument);
  const [form] = Form.useForm<ResolutionValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const decisionType = Form.useWatch('decisionType', form);
  const resolutions = nodes(meeting.resolutions);
  const agenda = nodes(meeting.agenda);

  async function onRecord(values: ResolutionValues) {
    const purchase = values.decisionType === 'PURCHASE_SERVICE';
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await record({
          input: {
            meetingId: meeting.id,
            title: values.title,
            text: values.text,
            decisionType: values.decisionType,
            agendaItemId: values.agendaItemId,
            budget: purchase ? values.budget?.trim() : undefined,
            category: purchase ? values.category : undefined,
          },
        });
        return { errors: r.data?.recordResolution?.errors, failure: r.error?.message };
      },
      { form, done: t('meetings.resolution.recorded') },
    );
    setUnplaced(rest);
    if (ok) {
      form.resetFields();
      reload();
    }
  }

  return (
    <Card title={<h3 className="gz-card-title">{t('meetings.resolution.title')}</h3>} style={{ marginBottom: 16 }}>
      {resolutions.length === 0 && <Empty description={t('meetings.resolution.empty')} />}
      {resolutions.map((resolution) => (
        <ResolutionView key={resolution.id} resolution={resolution} meeting={meeting} reload={reload} />
      ))}
      {committee && meeting.status === 'scheduled' && (
        <Form form={form} name="resolutions" layout="vertical" onFinish={(v) => void onRecord(v)} initialValues={{ decisionType: 'OTHER' }} style={{ marginTop: 24 }}>
          <Typography.Title level={4}>{t('meetings.resolution.recordTitle')}</Typography.Title>
          <FormAlert errors={unplaced} />
          <Form.Item name="title" label={t('meetings.resolution.name')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="text" label={t('meetings.resolution.text')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="agendaItemId" label={t('meetings.resolution.agendaItem')}>
            <Select allowClear options={agenda.map((i) => ({ value: i.id, label: i.title }))} />
          </Form.Item>
          <Form.Item name="decisionType" label={t('meetings.resolution.decisionType')}>
            <Select options={['PURCHASE_SERVICE', 'DISPATCH_VOLUNTEERS', 'ASSIGN_PROPERTY_COMPANY', 'OTHER'].map((v) => ({ value: v, label: t(`meetings.decisionType.${v}`) }))} />
          </Form.Item>
          {decisionType === 'PURCHASE_SERVICE' && (
            <Space wrap>
              <Form.Item
                name="budget"
                label={t('meetings.resolution.budget')}
                rules={[
                  { required: true, message: t('meetings.validation.required') },
                  { validator: (_, v: string | undefined) => (!v || isMoney(v) ? Promise.resolve() : Promise.reject(new Error(t('meetings.validation.money')))) },
                ]}
              >
                <Input prefix="¥" inputMode="decimal" placeholder="50000.00" />
              </Form.Item>
              <Form.Item name="category" label={t('meetings.resolution.category')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
                <Input placeholder="elderly_care" />
              </Form.Item>
            </Space>
          )}
          <Button type="primary" htmlType="submit">
            {t('meetings.resolution.record')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function ResolutionView({ resolution, meeting, reload }: { resolution: Resolution; meeting: Meeting; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useViewer();
  const partyName = usePartyName();
  const act = useAct();
  const [, take] = useMutation(TakePositionDocument);
  const [form] = Form.useForm<{ stance: 'AGREE' | 'OBJECT' | 'ABSTAIN'; reason?: string }>();
  const positions = nodes(resolution.positions);
  const core = meeting.members.filter((m) => CORE_TYPES.includes(m.type));
  const mine = positions.find((p) => p.party.id === viewer.party.id);
  const amCore = core.some((m) => m.id === viewer.party.id);

  async function onTake(values: { stance: 'AGREE' | 'OBJECT' | 'ABSTAIN'; reason?: string }) {
    const { ok } = await act(
      async () => {
        const r = await take({ input: { resolutionId: resolution.id, stance: values.stance, reason: values.reason } });
        return { errors: r.data?.takePosition?.errors, failure: r.error?.message };
      },
      { form, fields: { resolutionId: 'stance' }, done: t('meetings.position.taken') },
    );
    if (ok) reload();
  }

  const colour = resolution.status === 'adopted' ? 'green' : resolution.status === 'rejected' ? 'red' : 'blue';
  return (
    <section aria-label={resolution.title} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 16, marginBottom: 16 }}>
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {resolution.title}
        </Typography.Title>
        <StatusTag tone={colour}>{t(`meetings.resolutionStatus.${resolution.status}`)}</StatusTag>
        <StatusTag>{t(`meetings.decisionType.${resolution.decisionType}`)}</StatusTag>
        {resolution.budget && <StatusTag>{formatMoney(resolution.budget, language)}</StatusTag>}
      </Space>
      <Typography.Paragraph style={{ marginTop: 8 }}>{resolution.text}</Typography.Paragraph>
      {resolution.adoptedAt && (
        <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('meetings.resolution.adoptedAt', { when: formatDateTime(resolution.adoptedAt, language) })}</Typography.Paragraph>
      )}
      <Table
        rowKey={(r) => r.party.id}
        size="small"
        pagination={false}
        aria-label={t('meetings.position.title')}
        dataSource={core.map((party) => ({ party, position: positions.find((p) => p.party.id === party.id) }))}
        columns={[
          { title: t('meetings.attendance.party'), render: (_, r: { party: Party }) => partyName(r.party) },
          {
            title: t('meetings.position.stance'),
            render: (_, r) =>
              r.position ? (
                <StatusTag tone={r.position.stance === 'AGREE' ? 'green' : r.position.stance === 'OBJECT' ? 'red' : 'default'}>
                  {t(`meetings.stance.${r.position.stance}`)}
                </StatusTag>
              ) : (
                <StatusTag tone="gold">{t('meetings.position.awaiting')}</StatusTag>
              ),
          },
          { title: t('meetings.position.reason'), render: (_, r) => r.position?.reason || '—' },
          { title: t('meetings.position.takenAt'), render: (_, r) => (r.position ? formatDateTime(r.position.takenAt, language) : '—') },
        ]}
      />
      {resolution.status === 'proposed' && amCore && !mine && (
        <Form form={form} name={`resolution-view-${resolution.id}`} layout="vertical" onFinish={(v) => void onTake(v)} style={{ marginTop: 16 }} initialValues={{ stance: 'AGREE' }}>
          <Form.Item name="stance" label={t('meetings.position.yours')}>
            <Radio.Group optionType="button" options={['AGREE', 'OBJECT', 'ABSTAIN'].map((s) => ({ value: s, label: t(`meetings.stance.${s}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('meetings.position.reason')}>
            <Input maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('meetings.position.take')}
          </Button>
        </Form>
      )}
      {resolution.status === 'adopted' && viewer.partyType === 'residents_committee' && (
        <AssignActionItem resolution={resolution} members={meeting.members} reload={reload} />
      )}
    </section>
  );
}

function AssignActionItem({ resolution, members, reload }: { resolution: Resolution; members: Party[]; reload: () => void }) {
  const { t } = useTranslation();
  const partyName = usePartyName();
  const act = useAct();
  const [, assign] = useMutation(AssignActionItemDocument);
  const [form] = Form.useForm<{ ownerId: string; title: string; dueAt: Dayjs }>();
  const [open, setOpen] = useState(false);

  async function onAssign(values: { ownerId: string; title: string; dueAt: Dayjs }) {
    const { ok } = await act(
      async () => {
        const r = await assign({ input: { resolutionId: resolution.id, ownerId: values.ownerId, title: values.title, dueAt: toInstant(values.dueAt) } });
        return { errors: r.data?.assignActionItem?.errors, failure: r.error?.message };
      },
      { form, fields: { resolutionId: 'title' }, done: t('meetings.actionItem.assigned') },
    );
    if (ok) {
      form.resetFields();
      setOpen(false);
      reload();
    }
  }

  if (!open) {
    return (
      <Space style={{ marginTop: 12 }}>
        <Button onClick={() => setOpen(true)}>{t('meetings.actionItem.assign')}</Button>
        <Link to="/action-items">{t('meetings.actionItem.board')}</Link>
      </Space>
    );
  }
  return (
    <Form form={form} name={`assign-action-item-${resolution.id}`} layout="vertical" onFinish={(v) => void onAssign(v)} style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{t('meetings.actionItem.assign')}</Typography.Title>
      <Form.Item name="title" label={t('meetings.actionItem.name')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="ownerId" label={t('meetings.actionItem.owner')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
          <Select style={{ minWidth: 220 }} options={members.map((m) => ({ value: m.id, label: partyName(m) }))} />
        </Form.Item>
        <Form.Item name="dueAt" label={t('meetings.actionItem.dueAt')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
          <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      </Space>
      <Space>
        <Button type="primary" htmlType="submit">
          {t('meetings.actionItem.assignSubmit')}
        </Button>
        <Button onClick={() => setOpen(false)}>{t('meetings.common.cancel')}</Button>
      </Space>
    </Form>
  );
}

interface MinutesValues {
  notes: string;
  summary: string;
  items: Record<string, string | undefined>;
}

function MinutesCard({ meeting, reload }: { meeting: Meeting; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useViewer();
  const partyName = usePartyName();
  const act = useAct();
  const [, write] = useMutation(WriteMinutesDocument);
  const [, signOff] = useMutation(SignMinutesOffDocument);
  const [, askCorrection] = useMutation(AskMinutesCorrectionDocument);
  const [form] = Form.useForm<MinutesValues>();
  const [correction] = Form.useForm<{ note: string }>();
  const [editing, setEditing] = useState(false);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const minutes = meeting.minutes;
  const agenda = nodes(meeting.agenda).sort((a, b) => a.position - b.position);
  const committee = viewer.partyType === 'residents_committee';
  const core = meeting.members.filter((m) => CORE_TYPES.includes(m.type));
  const amCore = core.some((m) => m.id === viewer.party.id);
  const signed = minutes?.signedBy.some((p) => p.id === viewer.party.id) ?? false;
  const open = minutes && minutes.status !== 'published';

  async function onWrite(values: MinutesValues) {
    const itemNotes = agenda.flatMap((item) => {
      const notes = values.items?.[item.id]?.trim();
      return notes ? [{ agendaItemId: item.id, notes }] : [];
    });
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await write({ input: { meetingId: meeting.id, notes: values.notes, summary: values.summary, itemNotes } });
        return { errors: r.data?.writeMinutes?.errors, failure: r.error?.message };
      },
      { form, done: t('meetings.minutes.written') },
    );
    setUnplaced(rest);
    if (ok) {
      setEditing(false);
      reload();
    }
  }

  async function onSignOff() {
    await act(async () => {
      const r = await signOff({ input: { meetingId: meeting.id } });
      return { errors: r.data?.signMinutesOff?.errors, failure: r.error?.message };
    }, { done: t('meetings.minutes.signedOff') });
    reload();
  }

  async function onAsk(values: { note: string }) {
    const { ok } = await act(
      async () => {
        const r = await askCorrection({ input: { meetingId: meeting.id, note: values.note } });
        return { errors: r.data?.askMinutesCorrection?.errors, failure: r.error?.message };
      },
      { form: correction, done: t('meetings.minutes.correctionAsked') },
    );
    if (ok) {
      correction.resetFields();
      reload();
    }
  }

  const notesOf = (id: string) => minutes?.itemNotes.find((n) => n.agendaItemId === id)?.notes;
  return (
    <Card title={<h3 className="gz-card-title">{t('meetings.minutes.title')}</h3>} style={{ marginBottom: 16 }}>
      {!minutes && !editing && <Empty description={t('meetings.minutes.none')} />}
      {minutes && !editing && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <StatusTag tone={minutes.status === 'published' ? 'green' : minutes.status === 'correction_requested' ? 'orange' : 'gold'}>
              {t(`meetings.minutesStatus.${minutes.status}`)}
            </StatusTag>
            {minutes.publishedAt && <span>{t('meetings.minutes.publishedAt', { when: formatDateTime(minutes.publishedAt, language) })}</span>}
          </Space>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('meetings.minutes.summary')}>{minutes.summary}</Descriptions.Item>
            <Descriptions.Item label={t('meetings.minutes.notes')}>{minutes.notes}</Descriptions.Item>
            {agenda.map((item) => (
              <Descriptions.Item key={item.id} label={item.title}>
                {notesOf(item.id) ?? '—'}
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('meetings.minutes.signOffs')}
          </Typography.Title>
          <ul aria-label={t('meetings.minutes.signOffs')}>
            {core.map((party) => (
              <li key={party.id}>
                {partyName(party)}:{' '}
                {minutes.signedBy.some((p) => p.id === party.id) ? (
                  <StatusTag tone="green">{t('meetings.minutes.signed')}</StatusTag>
                ) : (
                  <StatusTag tone="gold">{t('meetings.minutes.unsigned')}</StatusTag>
                )}
              </li>
            ))}
          </ul>
          {minutes.correctionsAsked.length > 0 && (
            <Alert
              type="warning"
              message={t('meetings.minutes.corrections')}
              description={
                <ul style={{ margin: 0 }}>
                  {minutes.correctionsAsked.map((c, i) => (
                    <li key={i}>{c}</li>
                  ))}
                </ul>
              }
            />
          )}
          {open && amCore && (
            <Space direction="vertical" style={{ marginTop: 16, width: '100%' }}>
              {!signed && minutes.status === 'circulating' && (
                <Button type="primary" onClick={() => void onSignOff()}>
                  {t('meetings.minutes.signOff')}
                </Button>
              )}
              {!committee && (
                <Form form={correction} name="minutes-card-correction" layout="inline" onFinish={(v) => void onAsk(v)}>
                  <Form.Item name="note" label={t('meetings.minutes.correctionNote')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
                    <Input maxLength={500} />
                  </Form.Item>
                  <Button htmlType="submit">{t('meetings.minutes.askCorrection')}</Button>
                </Form>
              )}
            </Space>
          )}
        </>
      )}
      {committee && !editing && minutes?.status !== 'published' && meeting.status === 'scheduled' && (
        <Button
          style={{ marginTop: 16 }}
          onClick={() => {
            form.setFieldsValue({
              notes: minutes?.notes ?? '',
              summary: minutes?.summary ?? '',
              items: Object.fromEntries(agenda.map((i) => [i.id, notesOf(i.id) ?? ''])),
            });
            setEditing(true);
          }}
        >
          {minutes ? t('meetings.minutes.correct') : t('meetings.minutes.write')}
        </Button>
      )}
      {editing && (
        <Form form={form} name="minutes-card" layout="vertical" onFinish={(v) => void onWrite(v)}>
          <FormAlert errors={unplaced} />
          <Form.Item name="summary" label={t('meetings.minutes.summary')} extra={t('meetings.minutes.summaryHint')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="notes" label={t('meetings.minutes.notes')} extra={t('meetings.minutes.notesHint')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          {agenda.map((item) => (
            <Form.Item key={item.id} name={['items', item.id]} label={t('meetings.minutes.itemNotes', { title: item.title })}>
              <Input.TextArea rows={2} />
            </Form.Item>
          ))}
          <Space>
            <Button type="primary" htmlType="submit">
              {t('meetings.minutes.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('meetings.common.cancel')}</Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}
