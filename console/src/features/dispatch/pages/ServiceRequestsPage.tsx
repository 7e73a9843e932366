/**
 * Service requests: the committee's for the community, the owners' committee's for its compound. A
 * new request with its skills and places; the committee runs a dispatch over every open request and
 * sees each offer and each unfilled place with the dispatch's own reasons.
 */
import { MinusCircleOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import { graphql } from '../../../gql';
import type { DispatchVolunteersMutation, RequestCategory, RequestPriority } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage } from '../../meetings/common';
import { DispatchVolunteersDocument } from '../committeeOperations';
import { Explanation, StatusTag } from '../components';
import { CATEGORIES, PRIORITIES, REQUEST_STATUSES, REQUEST_STATUS_COLOURS, SKILLS } from '../vocabulary';

const ServiceRequestsDocument = graphql(`
  query ServiceRequests($filter: ServiceRequestFilter, $first: Int, $after: String) {
    serviceRequests(filter: $filter, first: $first, after: $after, orderBy: STARTS_AT_DESC) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          category
          priority
          status
          startsAt
          endsAt
          places
          filled
          location
        }
      }
    }
  }
`);

const OpenServiceRequestDocument = graphql(`
  mutation OpenServiceRequest($input: OpenServiceRequestInput!) {
    openServiceRequest(input: $input) {
      serviceRequest {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Round = NonNullable<NonNullable<DispatchVolunteersMutation['dispatchVolunteers']>['dispatchRound']>;

export default function ServiceRequestsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { partyType } = useViewer();
  const cursors = useCursors();
  const act = useAct();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [opening, setOpening] = useState(false);
  const [round, setRound] = useState<Round | null>(null);
  const [dispatching, setDispatching] = useState(false);
  const [{ data, fetching }, refetch] = useQuery({
    query: ServiceRequestsDocument,
    variables: { first: 20, after: cursors.after, filter: status ? { status } : undefined },
  });
  const [, dispatch] = useMutation(DispatchVolunteersDocument);

  async function onDispatch() {
    setDispatching(true);
    let answer: Round | null = null;
    const { ok } = await act(async () => {
      const r = await dispatch({ input: {} });
      answer = r.data?.dispatchVolunteers?.dispatchRound ?? null;
      return { errors: r.data?.dispatchVolunteers?.errors, failure: r.error?.message };
    });
    setDispatching(false);
    if (ok) {
      setRound(answer);
      refetch({ requestPolicy: 'network-only' });
    }
  }

  return (
    <section aria-labelledby="requests-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={1} id="requests-title" style={{ margin: 0 }}>
          {t('dispatch.menu.requests')}
        </Typography.Title>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('dispatch.list.filter')}
            placeholder={t('dispatch.list.filter')}
            style={{ minWidth: 160 }}
            value={status}
            onChange={(v: string | undefined) => {
              setStatus(v);
              cursors.reset();
            }}
            options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`dispatch.requestStatus.${s}`) }))}
          />
          {partyType === 'residents_committee' && (
            <Button icon={<ThunderboltOutlined />} loading={dispatching} onClick={() => void onDispatch()}>
              {t('dispatch.round.run')}
            </Button>
          )}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
            {t('dispatch.open.button')}
          </Button>
        </Space>
      </Space>
      {round && <RoundResult round={round} onClose={() => setRound(null)} />}
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={nodes(data?.serviceRequests)}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('dispatch.list.empty') }}
        columns={[
          {
            title: t('dispatch.fields.title'),
            render: (_, r) => <Link to={`/service-requests/${encodeURIComponent(r.id)}`}>{r.title}</Link>,
          },
          { title: t('dispatch.fields.category'), render: (_, r) => t(`dispatch.category.${r.category}`, { defaultValue: r.category }) },
          { title: t('dispatch.fields.priority'), render: (_, r) => t(`dispatch.priority.${r.priority}`, { defaultValue: r.priority }) },
          { title: t('dispatch.fields.startsAt'), render: (_, r) => (r.startsAt ? formatDateTime(r.startsAt, language) : '—') },
          { title: t('dispatch.fields.places'), align: 'right', render: (_, r) => t('dispatch.list.filled', { filled: r.filled, places: r.places }) },
          { title: t('dispatch.fields.status'), render: (_, r) => <StatusTag kind="request" status={r.status} colours={REQUEST_STATUS_COLOURS} /> },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.serviceRequests?.pageInfo.hasNextPage ?? false} endCursor={data?.serviceRequests?.pageInfo.endCursor} />
      {opening && <OpenModal onClose={() => setOpening(false)} />}
    </section>
  );
}

/** One dispatch round: who was offered which place and why, and why each unfilled place stays so. */
function RoundResult({ round, onClose }: { round: Round; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Card
      data-testid="dispatch-round"
      style={{ marginBottom: 16 }}
      title={<h2 className="gz-card-title">{t('dispatch.round.title', { when: formatDateTime(round.runAt, language) })}</h2>}
      extra={<Button onClick={onClose}>{t('dispatch.round.close')}</Button>}
    >
      <Typography.Paragraph>{t('dispatch.round.summary', { offers: round.offers.length, unfilled: round.unfilledPlaces.length })}</Typography.Paragraph>
      {round.offers.length > 0 && (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={round.offers}
          columns={[
            { title: t('dispatch.fields.title'), render: (_, o) => (o.request ? <Link to={`/service-requests/${encodeURIComponent(o.request.id)}`}>{o.request.title}</Link> : '—') },
            { title: t('dispatch.fields.place'), align: 'right', render: (_, o) => o.place + 1 },
            { title: t('dispatch.fields.volunteer'), render: (_, o) => o.volunteerName },
            { title: t('dispatch.fields.startsAt'), render: (_, o) => formatDateTime(o.startsAt, language) },
            { title: t('dispatch.fields.why'), render: (_, o) => <Explanation text={o.explanation} /> },
          ]}
        />
      )}
      {round.unfilledPlaces.length > 0 && (
        <>
          <h3 style={{ fontSize: 16, marginTop: 16 }}>{t('dispatch.round.unfilled')}</h3>
          <Table
            rowKey={(u) => `${u.request?.id ?? ''}-${u.place}`}
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={round.unfilledPlaces}
            columns={[
              { title: t('dispatch.fields.title'), render: (_, u) => (u.request ? <Link to={`/service-requests/${encodeURIComponent(u.request.id)}`}>{u.request.title}</Link> : '—') },
              { title: t('dispatch.fields.place'), align: 'right', render: (_, u) => u.place + 1 },
              { title: t('dispatch.fields.whyNot'), render: (_, u) => <Explanation text={u.reason} /> },
            ]}
          />
        </>
      )}
    </Card>
  );
}

interface OpenValues {
  title: string;
  description?: string;
  category: string;
  priority: string;
  skills: { skill: string; level: number }[];
  places: number;
  startsAt: Dayjs;
  endsAt: Dayjs;
  durationMinutes?: number;
  location: string;
  homeVisit?: boolean;
}

function OpenModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const act = useAct();
  const [form] = Form.useForm<OpenValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [, open] = useMutation(OpenServiceRequestDocument);
  const required = { required: true, message: t('meetings.validation.required') };
  // A Select is checked by a validator, not `required`: AntD would put aria-required on the
  // Select's wrapper, where the attribute is not allowed (axe-core's aria-allowed-attr).
  const chosen = { validator: (_: unknown, v: unknown) => (v ? Promise.resolve() : Promise.reject(new Error(t('meetings.validation.required')))) };

  async function onFinish(values: OpenValues) {
    setSaving(true);
    let created: string | undefined;
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await open({
          input: {
            title: values.title.trim(),
            description: values.description?.trim() || undefined,
            category: values.category.toUpperCase() as RequestCategory,
            priority: values.priority.toUpperCase() as RequestPriority,
            skills: values.skills.map((s) => ({ skill: s.skill, level: s.level })),
            places: values.places,
            startsAt: values.startsAt.toISOString(),
            endsAt: values.endsAt.toISOString(),
            durationMinutes: values.durationMinutes ?? undefined,
            location: values.location.trim(),
            homeVisit: values.homeVisit ?? false,
          },
        });
        created = r.data?.openServiceRequest?.serviceRequest?.id;
        return { errors: r.data?.openServiceRequest?.errors, failure: r.error?.message };
      },
      { form, done: t('dispatch.open.done') },
    );
    setSaving(false);
    setUnplaced(rest);
    if (ok && created) navigate(`/service-requests/${encodeURIComponent(created)}`);
  }

  return (
    <Modal
      open
      width={640}
      title={t('dispatch.open.title')}
      okText={t('dispatch.open.submit')}
      cancelText={t('meetings.common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ priority: 'routine', places: 1, skills: [{ skill: 'cleaning', level: 1 }], startsAt: dayjs().add(1, 'day').hour(9).minute(0).second(0), endsAt: dayjs().add(1, 'day').hour(11).minute(0).second(0) }}
        onFinish={(v) => void onFinish(v)}
      >
        <Form.Item name="title" label={t('dispatch.fields.title')} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('dispatch.fields.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="category" label={t('dispatch.fields.category')} rules={[chosen]}>
            <Select style={{ minWidth: 180 }} options={CATEGORIES.map((c) => ({ value: c, label: t(`dispatch.category.${c}`) }))} />
          </Form.Item>
          <Form.Item name="priority" label={t('dispatch.fields.priority')} rules={[chosen]}>
            <Select style={{ minWidth: 180 }} options={PRIORITIES.map((p) => ({ value: p, label: t(`dispatch.priority.${p}`) }))} />
          </Form.Item>
          <Form.Item name="places" label={t('dispatch.fields.places')} rules={[required]}>
            <InputNumber min={1} max={50} precision={0} />
          </Form.Item>
        </Space>
        <Form.List name="skills">
          {(fields, { add, remove }) => (
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('dispatch.fields.skills')}</legend>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item name={[field.name, 'skill']} rules={[chosen]}>
                    <Select aria-label={t('dispatch.fields.skill')} style={{ minWidth: 160 }} options={SKILLS.map((s) => ({ value: s, label: t(`dispatch.skill.${s}`) }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'level']} rules={[required]}>
                    <InputNumber aria-label={t('dispatch.fields.level')} addonBefore={t('dispatch.fields.level')} min={1} max={5} precision={0} />
                  </Form.Item>
                  <Button type="text" aria-label={t('dispatch.open.removeSkill')} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ skill: undefined, level: 1 })} style={{ marginBottom: 16 }}>
                {t('dispatch.open.addSkill')}
              </Button>
            </fieldset>
          )}
        </Form.List>
        <Typography.Paragraph type="secondary">{t('dispatch.open.windowHelp')}</Typography.Paragraph>
        <Space wrap align="start">
          <Form.Item name="startsAt" label={t('dispatch.fields.startsAt')} rules={[required]}>
            <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('dispatch.fields.endsAt')} rules={[required]}>
            <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Space>
        <Form.Item name="durationMinutes" label={t('dispatch.fields.durationMinutes')} extra={t('dispatch.open.durationHelp')}>
          <InputNumber min={15} step={15} precision={0} addonAfter={t('dispatch.open.minutes')} />
        </Form.Item>
        <Form.Item name="location" label={t('dispatch.fields.location')} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="homeVisit" valuePropName="checked" extra={t('dispatch.open.homeVisitHelp')}>
          <Checkbox>{t('dispatch.fields.homeVisit')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
