/**
 * One tender as its bidder sees it: the terms, its sealed bid with the receipt to keep, the receipt
 * checked against the digests published at the opening, the results and award, and a complaint.
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Popconfirm, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { formatDate, formatDateTime, formatMoney, isMoney, relativeDeadline } from '../../../lib/format';
import { Loading, nodesOf, useAct, useLanguage, useNow } from '../kit';
import { categoryText, ProjectStatusTag } from '../labels';
import {
  BidderFileComplaintDocument,
  BidderSubmitBidDocument,
  BidderWithdrawBidDocument,
  BiddingProjectDocument,
} from '../operations';
import { ReceiptCheck, ReceiptCard } from '../receipt';
import { ResultsTable } from '../results';
import type { Project } from '../types';

interface BidForm {
  price: string;
  plan: string;
  team: string;
  timeline: string;
}

function exceeds(price: string, budget: string): boolean {
  // Compared in fen as integers: a float would round ¥0.01 over the budget away.
  const fen = (amount: string) => {
    const [whole = '0', fraction = ''] = amount.trim().split('.');
    return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  };
  return fen(price) > fen(budget);
}

function BidFormCard({ project, onDone }: { project: Project; onDone: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [form] = Form.useForm<BidForm>();
  const [{ fetching }, submit] = useMutation(BidderSubmitBidDocument);
  const [{ fetching: withdrawing }, withdraw] = useMutation(BidderWithdrawBidDocument);
  const act = useAct();
  const bid = nodesOf(project.bids)[0];
  const active = bid && bid.status !== 'withdrawn';

  async function onFinish(values: BidForm) {
    const outcome = await act(
      async () => {
        const answer = await submit({ input: { projectId: project.id, ...values, price: values.price.trim() } });
        return { errors: answer.data?.submitBid?.errors, failed: Boolean(answer.error) };
      },
      { form, done: active ? t('bidding.bid.amended') : t('bidding.bid.submitted') },
    );
    if (outcome.ok) onDone();
  }

  async function onWithdraw() {
    const outcome = await act(
      async () => {
        const answer = await withdraw({ input: { projectId: project.id } });
        return { errors: answer.data?.withdrawBid?.errors, failed: Boolean(answer.error) };
      },
      { done: t('bidding.bid.withdrawn') },
    );
    if (outcome.ok) onDone();
  }

  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{active ? t('bidding.bid.amendTitle') : t('bidding.bid.submitTitle')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">{t('bidding.bid.sealedHint')}</Typography.Paragraph>
      <Form<BidForm>
        form={form}
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        initialValues={active ? { price: bid.price, plan: bid.plan, team: bid.team, timeline: bid.timeline } : undefined}
        requiredMark
      >
        <Form.Item
          name="price"
          label={t('bidding.bid.price')}
          extra={t('bidding.bid.priceHint', { budget: formatMoney(project.budget, language) })}
          rules={[
            { required: true, message: t('bidding.bid.priceRequired') },
            {
              validator: (_, value: string | undefined) => {
                if (!value) return Promise.resolve();
                if (!isMoney(value)) return Promise.reject(new Error(t('bidding.bid.priceInvalid')));
                if (exceeds(value, project.budget)) return Promise.reject(new Error(t('bidding.bid.overBudget', { budget: formatMoney(project.budget, language) })));
                return Promise.resolve();
              },
            },
          ]}
        >
          <Input prefix="¥" inputMode="decimal" autoComplete="off" style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item name="plan" label={t('bidding.bid.plan')} rules={[{ required: true, whitespace: true, message: t('bidding.bid.planRequired') }]}>
          <Input.TextArea rows={5} showCount maxLength={5000} />
        </Form.Item>
        <Form.Item name="team" label={t('bidding.bid.team')} rules={[{ required: true, whitespace: true, message: t('bidding.bid.teamRequired') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="timeline" label={t('bidding.bid.timeline')} rules={[{ required: true, whitespace: true, message: t('bidding.bid.timelineRequired') }]}>
          <Input />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={fetching}>
            {active ? t('bidding.bid.amend') : t('bidding.bid.submit')}
          </Button>
          {active && (
            <Popconfirm
              title={t('bidding.bid.withdrawConfirm')}
              okText={t('bidding.bid.withdraw')}
              cancelText={t('bidding.kit.cancel')}
              onConfirm={() => void onWithdraw()}
            >
              <Button danger loading={withdrawing}>
                {t('bidding.bid.withdraw')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
    </Card>
  );
}

function ComplaintCard({ project, onDone }: { project: Project; onDone: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [form] = Form.useForm<{ grounds: string }>();
  const [{ fetching }, file] = useMutation(BidderFileComplaintDocument);
  const act = useAct();
  const [filed, setFiled] = useState(false);
  if (filed) {
    return <Alert type="success" showIcon message={t('bidding.complaint.filed')} action={<Link to="/bid-complaints">{t('bidding.menu.complaints')}</Link>} />;
  }
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.complaint.title')}</Typography.Title>}>
      {project.award?.standstillEndsAt && (
        <Typography.Paragraph>
          {t('bidding.complaint.until', { when: formatDateTime(project.award.standstillEndsAt, language) })}
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          void act(
            async () => {
              const answer = await file({ input: { projectId: project.id, grounds: values.grounds } });
              return { errors: answer.data?.fileComplaint?.errors, failed: Boolean(answer.error) };
            },
            { form, done: t('bidding.complaint.filed') },
          ).then((outcome) => {
            if (outcome.ok) {
              setFiled(true);
              onDone();
            }
          })
        }
      >
        <Form.Item name="grounds" label={t('bidding.complaint.grounds')} rules={[{ required: true, whitespace: true, message: t('bidding.complaint.groundsRequired') }]}>
          <Input.TextArea rows={4} showCount maxLength={2000} />
        </Form.Item>
        <Button htmlType="submit" loading={fetching}>
          {t('bidding.complaint.file')}
        </Button>
      </Form>
    </Card>
  );
}

export default function TenderPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { projectId = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: BiddingProjectDocument, variables: { id: projectId } });
  const now = useNow();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (fetching && !data) return <Loading />;
  const project = data?.node?.__typename === 'Project' ? (data.node as Project) : null;
  if (!project) {
    return (
      <Result
        status={error ? 'error' : '404'}
        title={error ? t('bidding.kit.loadFailed') : t('bidding.project.notFound')}
        extra={<Link to="/tenders">{t('bidding.project.back')}</Link>}
      />
    );
  }

  const bid = nodesOf(project.bids)[0];
  const open = project.status === 'published' && !!project.bidDeadline && new Date(project.bidDeadline).getTime() > now.getTime();
  const deadline = project.bidDeadline ? relativeDeadline(project.bidDeadline, language, now) : null;
  const w = project.weights;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/tenders">
        <ArrowLeftOutlined /> {t('bidding.project.back')}
      </Link>
      <Space wrap align="center">
        <Typography.Title level={1} style={{ margin: 0 }}>
          {project.title}
        </Typography.Title>
        <ProjectStatusTag status={project.status} />
      </Space>
      {project.endedReason && <Alert type="warning" showIcon message={t(`bidding.projectStatus.${project.status}`)} description={project.endedReason} />}
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('bidding.project.budget')}>{formatMoney(project.budget, language)}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.category')}>{categoryText(t, project.category)}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.deadline')}>
            {project.bidDeadline ? (
              <Space wrap>
                {formatDateTime(project.bidDeadline, language)}
                {project.status === 'published' && deadline && (
                  <Typography.Text type={deadline.urgent || deadline.overdue ? 'danger' : 'secondary'}>{deadline.text}</Typography.Text>
                )}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.period')}>
            {project.periodStart && project.periodEnd
              ? t('bidding.project.periodRange', { from: formatDate(project.periodStart, language), to: formatDate(project.periodEnd, language) })
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.purchaser')}>{t(`bidding.purchaser.${project.purchaser}`, { defaultValue: project.purchaser })}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.standstill')}>{t('bidding.project.days', { n: project.standstillDays })}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.minValidBids')}>{project.minValidBids}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.qualifications')}>
            {project.requiredQualifications.length ? project.requiredQualifications.join('、') : t('bidding.project.noQualifications')}
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.weights')} span={2}>
            {t('bidding.project.weightList', { price: w.price, plan: w.planQuality, experience: w.experience, reputation: w.reputation })}
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.description')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{project.description || '—'}</Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.project.scoringRules')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{project.scoringRules}</Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
          <Link to={`/open-contracting/tender?ocid=${encodeURIComponent(project.ocid)}`}>{t('bidding.project.openData')}</Link>
        </Typography.Paragraph>
      </Card>

      {bid && bid.status !== 'withdrawn' && <ReceiptCard project={project} bid={bid} />}
      {bid?.status === 'to_reconfirm' && open && <Alert type="warning" showIcon message={t('bidding.bid.reconfirm')} />}
      {bid?.status === 'withdrawn' && <Alert type="info" showIcon message={t('bidding.bid.withdrawnNote')} />}
      {open ? (
        <BidFormCard project={project} onDone={reload} />
      ) : (
        !bid && project.status === 'published' && <Alert type="info" showIcon message={t('bidding.bid.closed')} />
      )}

      {project.openedAt && <ReceiptCheck project={project} bid={bid ?? null} />}

      {project.award && (
        <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.award.title')}</Typography.Title>}>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('bidding.award.organisation')}>{project.award.organisation.name}</Descriptions.Item>
            <Descriptions.Item label={t('bidding.award.value')}>{formatMoney(project.award.value, language)}</Descriptions.Item>
            <Descriptions.Item label={t('bidding.award.status')}>{t(`bidding.awardStatus.${project.award.status}`, { defaultValue: project.award.status })}</Descriptions.Item>
            <Descriptions.Item label={t('bidding.award.awardedAt')}>{formatDateTime(project.award.awardedAt, language)}</Descriptions.Item>
            {project.award.standstillEndsAt && (
              <Descriptions.Item label={t('bidding.award.standstillEndsAt')}>{formatDateTime(project.award.standstillEndsAt, language)}</Descriptions.Item>
            )}
            {project.award.reason && <Descriptions.Item label={t('bidding.award.reason')}>{project.award.reason}</Descriptions.Item>}
          </Descriptions>
        </Card>
      )}
      {project.results.length > 0 ? (
        <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.results.title')}</Typography.Title>}>
          <ResultsTable results={project.results} />
        </Card>
      ) : (
        project.openedAt && <Card><Empty description={t('bidding.results.waiting')} /></Card>
      )}
      {project.status === 'standstill' && bid && <ComplaintCard project={project} onDone={reload} />}
    </Space>
  );
}
