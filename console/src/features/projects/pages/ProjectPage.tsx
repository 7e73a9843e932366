/**
 * One project from draft to award, as the committee runs it: the terms (weights summing to 100, the
 * organisations eligible), publication with a deadline, the opening with the bids' digests, each
 * evaluator's scores and declared conflicts, the ranking with every criterion, the award and the
 * complaints heard during the standstill.
 */
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Typography,
} from 'antd';
import { MinusSquareOutlined, PlusSquareOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { CommitteeProjectQuery } from '../../../gql/graphql';
import { formatDate, formatDateTime, formatMoney, isMoney, relativeDeadline } from '../../../lib/format';
import { FormAlert, nodes, useAct, useLanguage, StatusTag } from '../../meetings/common';
import { toInstant } from '../../meetings/time';
import { STATUS_COLOURS } from '../vocabulary';

const ProjectDocument = graphql(`
  query CommitteeProject($id: ID!) {
    node(id: $id) {
      __typename
      ... on Project {
        id
        title
        description
        category
        budget
        status
        bidDeadline
        requiredQualifications
        periodStart
        periodEnd
        standstillDays
        minValidBids
        purchaser
        bidDigests
        openedAt
        endedReason
        scoringRules
        weights {
          price
          planQuality
          experience
          reputation
        }
        bids(first: 100) {
          edges {
            node {
              id
              price
              plan
              team
              timeline
              digest
              status
              submittedAt
              organisation {
                id
                name
              }
              evaluations {
                id
                byYou
                conflict
                planQuality
                experience
                recordedAt
              }
            }
          }
        }
        results {
          rank
          price
          total
          organisation {
            id
            name
          }
          scores {
            price
            planQuality
            experience
            reputation
          }
        }
        award {
          id
          value
          status
          reason
          awardedAt
          standstillEndsAt
          finalisedAt
          organisation {
            id
            name
          }
        }
      }
    }
    complaints(first: 50) {
      edges {
        node {
          id
          grounds
          status
          resolution
          filedAt
          resolvedAt
          complainant {
            name
          }
          project {
            id
          }
        }
      }
    }
  }
`);

const EligibleDocument = graphql(`
  query EligibleOrganisations($projectId: ID!) {
    eligibleOrganisations(projectId: $projectId) {
      fit
      organisation {
        id
        name
        categories
      }
    }
  }
`);

const ChangeTermsDocument = graphql(`
  mutation ChangeProjectTerms($input: ChangeProjectTermsInput!) {
    changeProjectTerms(input: $input) {
      project {
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

const PublishDocument = graphql(`
  mutation PublishProject($input: PublishProjectInput!) {
    publishProject(input: $input) {
      project {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const CancelDocument = graphql(`
  mutation CancelProject($input: CancelProjectInput!) {
    cancelProject(input: $input) {
      project {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const ScoreDocument = graphql(`
  mutation ScoreBid($input: ScoreBidInput!) {
    scoreBid(input: $input) {
      evaluation {
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

const ConflictDocument = graphql(`
  mutation DeclareConflict($input: DeclareConflictInput!) {
    declareConflict(input: $input) {
      evaluation {
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

const RankDocument = graphql(`
  mutation RankBids($input: ProjectInput!) {
    rankBids(input: $input) {
      project {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const AwardDocument = graphql(`
  mutation AwardProject($input: AwardProjectInput!) {
    awardProject(input: $input) {
      award {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Project = Extract<NonNullable<CommitteeProjectQuery['node']>, { __typename: 'Project' }>;
type Bid = NonNullable<NonNullable<NonNullable<Project['bids']>['edges'][number]>['node']>;
type Weights = Project['weights'];

const STEPS = ['draft', 'published', 'evaluating', 'standstill', 'awarded'];
const CRITERIA = ['price', 'planQuality', 'experience', 'reputation'] as const;

export default function ProjectPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { projectId = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ProjectDocument, variables: { id: projectId } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const project = data?.node?.__typename === 'Project' ? data.node : null;
  if (!project) {
    if (fetching) return <Spin tip={t('meetings.common.loading')}><div style={{ padding: 48 }} /></Spin>;
    return (
      <Result
        status={error ? 'error' : '404'}
        title={error ? t('meetings.common.failed') : t('projects.project.notFound')}
        extra={<Link to="/projects">{t('projects.project.back')}</Link>}
      />
    );
  }
  const complaints = nodes(data?.complaints).filter((c) => c.project?.id === project.id);
  const step = STEPS.indexOf(project.status);
  return (
    <article aria-labelledby="project-title">
      <Space wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={1} id="project-title" style={{ margin: 0 }}>
          {project.title}
        </Typography.Title>
        <StatusTag tone={STATUS_COLOURS[project.status]}>{t(`projects.status.${project.status}`)}</StatusTag>
      </Space>
      {step >= 0 ? (
        <Steps
          size="small"
          current={step}
          style={{ margin: '16px 0 24px' }}
          items={STEPS.map((s) => ({ title: t(`projects.status.${s}`) }))}
        />
      ) : (
        <Alert type="warning" showIcon style={{ margin: '16px 0' }} message={t(`projects.status.${project.status}`)} description={project.endedReason ?? undefined} />
      )}
      <Terms project={project} reload={reload} />
      {project.status === 'draft' && <Eligible projectId={project.id} />}
      {(project.status === 'draft' || project.status === 'published') && <Publish project={project} reload={reload} />}
      {project.openedAt && <Opening project={project} />}
      {project.status === 'evaluating' && <Evaluation project={project} reload={reload} />}
      {project.results.length > 0 && <Ranking project={project} reload={reload} />}
      {project.award && (
        <Card title={<h2 className="gz-card-title">{t('projects.award.title')}</h2>} style={{ marginBottom: 16 }}>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('projects.award.organisation')}>{project.award.organisation.name}</Descriptions.Item>
            <Descriptions.Item label={t('projects.award.value')}>{formatMoney(project.award.value, language)}</Descriptions.Item>
            <Descriptions.Item label={t('projects.fields.status')}>{t(`projects.awardStatus.${project.award.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('projects.award.awardedAt')}>{formatDateTime(project.award.awardedAt, language)}</Descriptions.Item>
            {project.award.standstillEndsAt && (
              <Descriptions.Item label={t('projects.award.standstillEndsAt')}>{formatDateTime(project.award.standstillEndsAt, language)}</Descriptions.Item>
            )}
            {project.award.finalisedAt && (
              <Descriptions.Item label={t('projects.award.finalisedAt')}>{formatDateTime(project.award.finalisedAt, language)}</Descriptions.Item>
            )}
            {project.award.reason && <Descriptions.Item label={t('projects.award.reason')}>{project.award.reason}</Descriptions.Item>}
          </Descriptions>
        </Card>
      )}
      {complaints.length > 0 && (
        <Card title={<h2 className="gz-card-title">{t('projects.complaints.title')}</h2>} style={{ marginBottom: 16 }}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={complaints}
            columns={[
              { title: t('projects.complaints.complainant'), render: (_, c) => c.complainant.name },
              { title: t('projects.complaints.grounds'), dataIndex: 'grounds' },
              { title: t('projects.complaints.filedAt'), render: (_, c) => formatDateTime(c.filedAt, language) },
              { title: t('projects.fields.status'), render: (_, c) => <StatusTag>{t(`projects.complaintStatus.${c.status}`)}</StatusTag> },
              { title: t('projects.complaints.resolution'), render: (_, c) => c.resolution ?? '—' },
            ]}
          />
        </Card>
      )}
    </article>
  );
}

interface TermsValues {
  description?: string;
  budget: string;
  requiredQualifications: string[];
  period?: [Dayjs, Dayjs];
  weights: Weights;
  standstillDays: number;
  minValidBids: number;
  purchaser: string;
}

function Terms({ project, reload }: { project: Project; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<TermsValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, change] = useMutation(ChangeTermsDocument);
  const weights = Form.useWatch('weights', form);
  const sum = weights ? CRITERIA.reduce((total, c) => total + (Number(weights[c]) || 0), 0) : 100;

  async function onFinish(values: TermsValues) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await change({
          input: {
            projectId: project.id,
            description: values.description ?? '',
            budget: values.budget.trim(),
            requiredQualifications: values.requiredQualifications,
            periodStart: values.period?.[0]?.format('YYYY-MM-DD'),
            periodEnd: values.period?.[1]?.format('YYYY-MM-DD'),
            weights: { price: values.weights.price, planQuality: values.weights.planQuality, experience: values.weights.experience, reputation: values.weights.reputation },
            standstillDays: values.standstillDays,
            minValidBids: values.minValidBids,
            purchaser: values.purchaser,
          },
        });
        return { errors: r.data?.changeProjectTerms?.errors, failure: r.error?.message };
      },
      { form, fields: { periodStart: 'period', periodEnd: 'period', projectId: 'budget' }, done: t('projects.terms.saved') },
    );
    setUnplaced(rest);
    if (ok) {
      setEditing(false);
      reload();
    }
  }

  const editable = project.status === 'draft';
  return (
    <Card
      title={<h2 className="gz-card-title">{t('projects.terms.title')}</h2>}
      style={{ marginBottom: 16 }}
      extra={
        editable && !editing ? (
          <Button
            onClick={() => {
              form.setFieldsValue({
                description: project.description,
                budget: project.budget,
                requiredQualifications: project.requiredQualifications,
                period: project.periodStart && project.periodEnd ? ([dayjs(project.periodStart), dayjs(project.periodEnd)] as [Dayjs, Dayjs]) : undefined,
                weights: { ...project.weights },
                standstillDays: project.standstillDays,
                minValidBids: project.minValidBids,
                purchaser: project.purchaser,
              });
              setEditing(true);
            }}
          >
            {t('projects.terms.edit')}
          </Button>
        ) : null
      }
    >
      {!editing ? (
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('projects.fields.category')}>{t(`projects.category.${project.category}`, { defaultValue: project.category })}</Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.budget')}>{formatMoney(project.budget, language)}</Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.purchaser')}>{t(`projects.purchaser.${project.purchaser}`)}</Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.period')}>
            {project.periodStart && project.periodEnd ? `${formatDate(project.periodStart, language)} – ${formatDate(project.periodEnd, language)}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.weights')}>
            {CRITERIA.map((c) => `${t(`projects.criterion.${c}`)} ${project.weights[c]}%`).join(' · ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.standstillDays')}>{t('projects.terms.days', { count: project.standstillDays })}</Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.minValidBids')}>{project.minValidBids}</Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.qualifications')}>
            {project.requiredQualifications.length ? project.requiredQualifications.join('、') : '—'}
          </Descriptions.Item>
          {project.bidDeadline && (
            <Descriptions.Item label={t('projects.fields.bidDeadline')}>{formatDateTime(project.bidDeadline, language)}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('projects.fields.description')} span={2}>
            {project.description || '—'}
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Form form={form} name="terms" layout="vertical" onFinish={(v) => void onFinish(v)}>
          <FormAlert errors={unplaced} />
          <Form.Item name="description" label={t('projects.fields.description')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item
              name="budget"
              label={t('projects.fields.budget')}
              rules={[
                { required: true, message: t('meetings.validation.required') },
                { validator: (_, v: string | undefined) => (!v || isMoney(v) ? Promise.resolve() : Promise.reject(new Error(t('meetings.validation.money')))) },
              ]}
            >
              <Input prefix="¥" inputMode="decimal" />
            </Form.Item>
            <Form.Item name="purchaser" label={t('projects.fields.purchaser')}>
              <Select
                style={{ minWidth: 180 }}
                options={['residents_committee', 'street_office'].map((v) => ({ value: v, label: t(`projects.purchaser.${v}`) }))}
              />
            </Form.Item>
            <Form.Item name="period" label={t('projects.fields.period')}>
              <DatePicker.RangePicker />
            </Form.Item>
          </Space>
          <Form.Item name="requiredQualifications" label={t('projects.fields.qualifications')} extra={t('projects.terms.qualificationsHint')}>
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('projects.fields.weights')}</legend>
            <Space wrap>
              {CRITERIA.map((c) => (
                <Form.Item key={c} name={['weights', c]} label={t(`projects.criterion.${c}`)} rules={[{ required: true, message: t('meetings.validation.required') }]}>
                  <InputNumber min={0} max={100} addonAfter="%" />
                </Form.Item>
              ))}
            </Space>
            <Typography.Paragraph role="status" type={sum === 100 ? 'success' : 'danger'}>
              {sum === 100 ? t('projects.terms.weightsOk') : t('projects.terms.weightsSum', { sum })}
            </Typography.Paragraph>
          </fieldset>
          <Space wrap>
            <Form.Item name="standstillDays" label={t('projects.fields.standstillDays')}>
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Form.Item name="minValidBids" label={t('projects.fields.minValidBids')}>
              <InputNumber min={1} max={20} />
            </Form.Item>
          </Space>
          <Space>
            <Button type="primary" htmlType="submit" disabled={sum !== 100}>
              {t('projects.terms.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('meetings.common.cancel')}</Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}

function Eligible({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const [{ data, fetching }] = useQuery({ query: EligibleDocument, variables: { projectId } });
  const rows = data?.eligibleOrganisations ?? [];
  return (
    <Card title={<h2 className="gz-card-title">{t('projects.eligible.title')}</h2>} style={{ marginBottom: 16 }}>
      <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('projects.eligible.hint')}</Typography.Paragraph>
      <Table
        rowKey={(r) => r.organisation.id}
        size="small"
        loading={fetching}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('projects.eligible.none') }}
        columns={[
          { title: t('projects.eligible.organisation'), render: (_, r) => r.organisation.name },
          {
            title: t('projects.eligible.categories'),
            render: (_, r) => r.organisation.categories.map((c) => t(`projects.category.${c}`, { defaultValue: c })).join('、'),
          },
          { title: t('projects.eligible.fit'), align: 'right', render: (_, r) => `${Math.round(r.fit * 100)}%` },
        ]}
      />
    </Card>
  );
}

function Publish({ project, reload }: { project: Project; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [form] = Form.useForm<{ bidDeadline: Dayjs }>();
  const [cancelForm] = Form.useForm<{ reason: string }>();
  const [cancelling, setCancelling] = useState(false);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, publish] = useMutation(PublishDocument);
  const [, change] = useMutation(ChangeTermsDocument);
  const [, cancel] = useMutation(CancelDocument);
  const draft = project.status === 'draft';

  async function onPublish(values: { bidDeadline: Dayjs }) {
    const bidDeadline = toInstant(values.bidDeadline);
    const { ok, unplaced: rest } = await act(
      async () => {
        if (draft) {
          const r = await publish({ input: { projectId: project.id, bidDeadline } });
          return { errors: r.data?.publishProject?.errors, failure: r.error?.message };
        }
        const r = await change({ input: { projectId: project.id, bidDeadline } });
        return { errors: r.data?.changeProjectTerms?.errors, failure: r.error?.message };
      },
      { form, fields: { projectId: 'bidDeadline' }, done: draft ? t('projects.publish.done') : t('projects.publish.moved') },
    );
    setUnplaced(rest);
    if (ok) reload();
  }

  async function onCancel(values: { reason: string }) {
    const { ok } = await act(
      async () => {
        const r = await cancel({ input: { projectId: project.id, reason: values.reason } });
        return { errors: r.data?.cancelProject?.errors, failure: r.error?.message };
      },
      { form: cancelForm, fields: { projectId: 'reason' }, done: t('projects.cancel.done') },
    );
    if (ok) {
      setCancelling(false);
      reload();
    }
  }

  return (
    <Card title={<h2 className="gz-card-title">{draft ? t('projects.publish.title') : t('projects.publish.open')}</h2>} style={{ marginBottom: 16 }}>
      {!draft && project.bidDeadline && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('projects.publish.sealed', {
            when: formatDateTime(project.bidDeadline, language),
            left: relativeDeadline(project.bidDeadline, language).text,
          })}
        />
      )}
      <FormAlert errors={unplaced} />
      <Form form={form} name="publish" layout="inline" onFinish={(v) => void onPublish(v)}>
        <Form.Item name="bidDeadline" label={draft ? t('projects.fields.bidDeadline') : t('projects.publish.newDeadline')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
          <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {draft ? t('projects.publish.submit') : t('projects.publish.move')}
        </Button>
        <Button danger onClick={() => setCancelling(true)}>
          {t('projects.cancel.open')}
        </Button>
      </Form>
      <Modal
        open={cancelling}
        title={t('projects.cancel.title')}
        okText={t('projects.cancel.submit')}
        okButtonProps={{ danger: true }}
        cancelText={t('meetings.common.cancel')}
        onOk={() => cancelForm.submit()}
        onCancel={() => setCancelling(false)}
      >
        <Form form={cancelForm} name="publish-cancel-form" layout="vertical" onFinish={(v) => void onCancel(v)}>
          <Form.Item name="reason" label={t('projects.cancel.reason')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function Opening({ project }: { project: Project }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Card title={<h2 className="gz-card-title">{t('projects.opening.title')}</h2>} style={{ marginBottom: 16 }}>
      <Typography.Paragraph>
        {t('projects.opening.openedAt', { when: formatDateTime(project.openedAt ?? '', language), count: project.bidDigests.length })}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('projects.opening.hint')}</Typography.Paragraph>
      <ol aria-label={t('projects.opening.digests')}>
        {project.bidDigests.map((digest) => (
          <li key={digest}>
            <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
              {digest}
            </Typography.Text>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function Evaluation({ project, reload }: { project: Project; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [scoring, setScoring] = useState<{ bid: Bid; how: 'score' | 'conflict' } | null>(null);
  const [, rank] = useMutation(RankDocument);
  const bids = nodes(project.bids);

  async function onRank() {
    await act(async () => {
      const r = await rank({ input: { projectId: project.id } });
      return { errors: r.data?.rankBids?.errors, failure: r.error?.message };
    }, { done: t('projects.evaluation.ranked') });
    reload();
  }

  return (
    <Card
      title={<h2 className="gz-card-title">{t('projects.evaluation.title')}</h2>}
      style={{ marginBottom: 16 }}
      extra={
        <Button type="primary" onClick={() => void onRank()}>
          {t('projects.evaluation.rank')}
        </Button>
      }
    >
      <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('projects.evaluation.hint')}</Typography.Paragraph>
      {project.scoringRules && <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{project.scoringRules}</Typography.Paragraph>}
      {bids.length === 0 ? (
        <Empty description={t('projects.evaluation.noBids')} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={bids}
          expandable={{
            expandIcon: ({ expanded, onExpand, record }) => (
              <Button
                size="small"
                type="text"
                aria-expanded={expanded}
                aria-label={t(expanded ? 'projects.bid.hide' : 'projects.bid.show', { name: record.organisation.name })}
                icon={expanded ? <MinusSquareOutlined /> : <PlusSquareOutlined />}
                onClick={(event) => onExpand(record, event)}
              />
            ),
            expandedRowRender: (bid) => (
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('projects.bid.plan')}>{bid.plan}</Descriptions.Item>
                <Descriptions.Item label={t('projects.bid.team')}>{bid.team}</Descriptions.Item>
                <Descriptions.Item label={t('projects.bid.timeline')}>{bid.timeline}</Descriptions.Item>
                <Descriptions.Item label={t('projects.bid.submittedAt')}>{formatDateTime(bid.submittedAt, language)}</Descriptions.Item>
                <Descriptions.Item label={t('projects.bid.digest')}>
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {bid.digest}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            ),
          }}
          columns={[
            { title: t('projects.bid.organisation'), render: (_, b) => b.organisation.name },
            { title: t('projects.bid.price'), align: 'right', render: (_, b) => formatMoney(b.price, language) },
            {
              title: t('projects.evaluation.panel'),
              render: (_, b) => {
                const scored = b.evaluations.filter((e) => !e.conflict).length;
                const conflicts = b.evaluations.filter((e) => e.conflict).length;
                return t('projects.evaluation.panelCount', { scored, conflicts });
              },
            },
            {
              title: t('projects.evaluation.yours'),
              render: (_, b) => {
                const mine = b.evaluations.find((e) => e.byYou);
                if (!mine) return <StatusTag tone="gold">{t('projects.evaluation.notScored')}</StatusTag>;
                if (mine.conflict) return <StatusTag tone="red">{t('projects.evaluation.conflict', { note: mine.conflict })}</StatusTag>;
                return t('projects.evaluation.yourScores', { plan: mine.planQuality, experience: mine.experience });
              },
            },
            {
              title: t('projects.evaluation.actions'),
              render: (_, b) => {
                const mine = b.evaluations.find((e) => e.byYou);
                if (mine?.conflict) return null;
                return (
                  <Space wrap>
                    <Button size="small" onClick={() => setScoring({ bid: b, how: 'score' })}>
                      {mine ? t('projects.evaluation.rescore') : t('projects.evaluation.score')}
                    </Button>
                    {!mine && (
                      <Button size="small" onClick={() => setScoring({ bid: b, how: 'conflict' })}>
                        {t('projects.evaluation.declare')}
                      </Button>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      )}
      {scoring && (
        <ScoreModal
          project={project}
          bid={scoring.bid}
          how={scoring.how}
          onClose={(done) => {
            setScoring(null);
            if (done) reload();
          }}
        />
      )}
    </Card>
  );
}

function ScoreModal({ project, bid, how, onClose }: { project: Project; bid: Bid; how: 'score' | 'conflict'; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ planQuality: number; experience: number; note: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, score] = useMutation(ScoreDocument);
  const [, declare] = useMutation(ConflictDocument);
  const mine = bid.evaluations.find((e) => e.byYou);

  async function onFinish(values: { planQuality: number; experience: number; note: string }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        if (how === 'score') {
          const r = await score({ input: { projectId: project.id, bidId: bid.id, planQuality: values.planQuality, experience: values.experience } });
          return { errors: r.data?.scoreBid?.errors, failure: r.error?.message };
        }
        const r = await declare({ input: { projectId: project.id, bidId: bid.id, note: values.note } });
        return { errors: r.data?.declareConflict?.errors, failure: r.error?.message };
      },
      { form, fields: { bidId: how === 'score' ? 'planQuality' : 'note' }, done: how === 'score' ? t('projects.evaluation.scored') : t('projects.evaluation.declared') },
    );
    setUnplaced(rest);
    if (ok) onClose(true);
  }

  return (
    <Modal
      open
      title={`${how === 'score' ? t('projects.evaluation.score') : t('projects.evaluation.declare')}: ${bid.organisation.name}`}
      okText={how === 'score' ? t('projects.evaluation.saveScores') : t('projects.evaluation.declare')}
      cancelText={t('meetings.common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form
        form={form}
        name="score-modal"
        layout="vertical"
        initialValues={{ planQuality: mine?.planQuality ?? undefined, experience: mine?.experience ?? undefined }}
        onFinish={(v) => void onFinish(v)}
      >
        {how === 'score' ? (
          <>
            <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('projects.evaluation.scoreHint')}</Typography.Paragraph>
            <Form.Item name="planQuality" label={t('projects.criterion.planQuality')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
              <InputNumber min={0} max={100} precision={0} />
            </Form.Item>
            <Form.Item name="experience" label={t('projects.criterion.experience')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
              <InputNumber min={0} max={100} precision={0} />
            </Form.Item>
          </>
        ) : (
          <>
            <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('projects.evaluation.conflictHint')}</Typography.Paragraph>
            <Form.Item name="note" label={t('projects.evaluation.conflictNote')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

function Ranking({ project, reload }: { project: Project; reload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [form] = Form.useForm<{ bidId: string; reason?: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, award] = useMutation(AwardDocument);
  const bids = nodes(project.bids);
  // The results name organisations; each organisation bids once, so its valid bid is found by it.
  const bidOf = (organisationId: string) => bids.find((b) => b.organisation.id === organisationId);
  const chosen = Form.useWatch('bidId', form);
  const first = project.results.find((r) => r.rank === 1);
  const firstBid = first ? bidOf(first.organisation.id)?.id : undefined;
  const canAward = project.status === 'evaluating';

  async function onAward(values: { bidId: string; reason?: string }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await award({ input: { projectId: project.id, bidId: values.bidId, reason: values.reason || undefined } });
        return { errors: r.data?.awardProject?.errors, failure: r.error?.message };
      },
      { form, fields: { projectId: 'bidId' }, done: t('projects.award.done') },
    );
    setUnplaced(rest);
    if (ok) reload();
  }

  const score = (value: number) => value.toFixed(2);
  return (
    <Card title={<h2 className="gz-card-title">{t('projects.ranking.title')}</h2>} style={{ marginBottom: 16 }}>
      <Table
        rowKey="rank"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={[...project.results].sort((a, b) => a.rank - b.rank)}
        columns={[
          { title: t('projects.ranking.rank'), dataIndex: 'rank' },
          { title: t('projects.bid.organisation'), render: (_, r) => r.organisation.name },
          { title: t('projects.bid.price'), align: 'right', render: (_, r) => formatMoney(r.price, language) },
          ...CRITERIA.map((c) => ({
            title: `${t(`projects.criterion.${c}`)} (${project.weights[c]}%)`,
            align: 'right' as const,
            render: (_: unknown, r: Project['results'][number]) => score(r.scores[c]),
          })),
          { title: t('projects.ranking.total'), align: 'right', render: (_, r) => <strong>{score(r.total)}</strong> },
        ]}
      />
      {canAward && (
        <Form form={form} name="ranking" layout="vertical" onFinish={(v) => void onAward(v)} initialValues={{ bidId: firstBid }} style={{ marginTop: 16 }}>
          <FormAlert errors={unplaced} />
          <Form.Item name="bidId" label={t('projects.award.choose')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
            <Radio.Group
              options={project.results.flatMap((r) => {
                const bid = bidOf(r.organisation.id);
                return bid ? [{ value: bid.id, label: t('projects.award.option', { rank: r.rank, name: r.organisation.name }) }] : [];
              })}
            />
          </Form.Item>
          {chosen && chosen !== firstBid && (
            <Form.Item name="reason" label={t('projects.award.reason')} extra={t('projects.award.reasonHint')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit">
            {t('projects.award.submit')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

