/**
 * One contract: its terms, who has signed and who still must, the milestones with their evidence and
 * acceptance, the payments, the amendments beside the terms they change, the evaluations and the
 * contract's history. The committee (the purchaser) acts on it; the owners' committee evaluates it;
 * the office reads it and approves in /approvals.
 */
import { ArrowLeftOutlined, CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Result, Space, Spin, Table, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import { formatDate, formatDateTime, formatMoney } from '../../../lib/format';
import { FormAlert, useAct, useLanguage } from '../../meetings/common';
import Amendments from '../Amendments';
import { ActivateDocument, CommitteeSignDocument, CompleteDocument, TerminateDocument } from '../committeeOperations';
import Evaluations from '../Evaluations';
import { ContractStatusTag } from '../labels';
import Milestones from '../Milestones';
import { ContractDetailDocument } from '../operations';
import TermsForm from '../TermsForm';
import type { Contract } from '../types';

const SIDES = ['purchaser', 'provider'] as const;

/** The history's actions ("signed by the provider", "amendment 2 in force") in words. */
function stepText(action: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const signed = /^signed by the (purchaser|provider)$/.exec(action);
  if (signed) return t('contracts.history.signed', { side: t(`contracts.side.${signed[1]}`) });
  const amendment = /^amendment (\d+) (proposed|approved|in force|rejected)$/.exec(action);
  if (amendment) return t(`contracts.history.amendment.${(amendment[2] ?? '').replace(' ', '_')}`, { number: amendment[1] });
  return t(`contracts.history.${action}`, { defaultValue: t('contracts.history.other') });
}

function Signatures({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Descriptions size="small" bordered column={1} title={t('contracts.signatures.title')}>
      {SIDES.map((side) => {
        const signed = contract.signedBy.includes(side);
        const who = side === 'provider' ? contract.provider.name : t(`contracts.purchaser.${contract.purchaserType}`, { defaultValue: contract.purchaserType });
        return (
          <Descriptions.Item key={side} label={`${t(`contracts.side.${side}`)}（${who}）`}>
            {signed ? (
              <Typography.Text type="success">
                <CheckCircleFilled /> {t('contracts.signatures.signed')}
              </Typography.Text>
            ) : (
              <Typography.Text type="warning">
                <ClockCircleOutlined /> {t('contracts.signatures.awaited')}
              </Typography.Text>
            )}
          </Descriptions.Item>
        );
      })}
      <Descriptions.Item label={t('contracts.signatures.office')}>
        {contract.approvedByOfficeAt
          ? t('contracts.signatures.officeApproved', { at: formatDateTime(contract.approvedByOfficeAt, language) })
          : t('contracts.signatures.officeNotNeeded')}
      </Descriptions.Item>
    </Descriptions>
  );
}

function TerminateDialog({ contract, onClose }: { contract: Contract; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ reason: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [{ fetching }, terminate] = useMutation(TerminateDocument);
  async function onFinish(values: { reason: string }) {
    const outcome = await act(
      async () => {
        const answer = await terminate({ input: { contractId: contract.id, reason: values.reason.trim() } });
        return { errors: answer.data?.terminateContract?.errors, failure: answer.error?.message };
      },
      { form, fields: { contractId: 'reason' }, done: t('contracts.actions.terminated') },
    );
    setUnplaced(outcome.unplaced);
    if (outcome.ok) onClose(true);
  }
  return (
    <Modal
      open
      title={t('contracts.actions.terminateTitle', { title: contract.title })}
      okText={t('contracts.actions.terminate')}
      okButtonProps={{ danger: true }}
      cancelText={t('contracts.actions.cancel')}
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="reason" label={t('contracts.actions.terminateReason')} rules={[{ required: true, whitespace: true, message: t('contracts.terms.required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The committee's next step on the contract: sign, start, complete, or end it early. */
function CommitteeActions({ contract, onChange }: { contract: Contract; onChange: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [, sign] = useMutation(CommitteeSignDocument);
  const [, activate] = useMutation(ActivateDocument);
  const [, complete] = useMutation(CompleteDocument);
  const [busy, setBusy] = useState(false);
  const [terminating, setTerminating] = useState(false);
  const hasTerms = contract.milestones.length > 0 && Boolean(contract.periodStart);
  const allAccepted = contract.milestones.length > 0 && contract.milestones.every((m) => m.status === 'accepted');

  async function run(mutation: () => Promise<{ errors?: readonly { field?: string | null; code: string; message: string }[] | null; failure?: string }>, done: string) {
    setBusy(true);
    const outcome = await act(mutation, { done });
    setBusy(false);
    if (outcome.ok) onChange();
  }

  const buttons = [];
  if (contract.status === 'draft' && hasTerms && !contract.signedBy.includes('purchaser')) {
    buttons.push(
      <Button
        key="sign"
        type="primary"
        loading={busy}
        onClick={() =>
          void run(async () => {
            const a = await sign({ input: { contractId: contract.id } });
            return { errors: a.data?.signContract?.errors, failure: a.error?.message };
          }, t('contracts.actions.signed'))
        }
      >
        {t('contracts.actions.sign')}
      </Button>,
    );
  }
  if (contract.status === 'signed') {
    buttons.push(
      <Button
        key="activate"
        type="primary"
        loading={busy}
        onClick={() =>
          void run(async () => {
            const a = await activate({ input: { contractId: contract.id } });
            return { errors: a.data?.activateContract?.errors, failure: a.error?.message };
          }, t('contracts.actions.activated'))
        }
      >
        {t('contracts.actions.activate')}
      </Button>,
    );
  }
  if (contract.status === 'active' && allAccepted) {
    buttons.push(
      <Button
        key="complete"
        type="primary"
        loading={busy}
        onClick={() =>
          void run(async () => {
            const a = await complete({ input: { contractId: contract.id } });
            return { errors: a.data?.completeContract?.errors, failure: a.error?.message };
          }, t('contracts.actions.completed'))
        }
      >
        {t('contracts.actions.complete')}
      </Button>,
    );
  }
  if (['draft', 'signed', 'active'].includes(contract.status)) {
    buttons.push(
      <Button key="terminate" danger onClick={() => setTerminating(true)}>
        {t('contracts.actions.terminate')}
      </Button>,
    );
  }
  return (
    <>
      {contract.status === 'draft' && !hasTerms && <Alert type="info" showIcon message={t('contracts.actions.termsFirst')} style={{ marginBottom: 12 }} />}
      {buttons.length > 0 && <Space wrap>{buttons}</Space>}
      {terminating && (
        <TerminateDialog
          contract={contract}
          onClose={(done) => {
            setTerminating(false);
            if (done) onChange();
          }}
        />
      )}
    </>
  );
}

export default function ContractPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { partyType } = useViewer();
  const { contractId = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ContractDetailDocument, variables: { id: contractId } });

  if (fetching && !data) return <Spin size="large" aria-label={t('app.loading')} />;
  const contract = data?.node?.__typename === 'Contract' ? (data.node as Contract) : null;
  if (!contract) {
    return (
      <Result
        status={error ? 'error' : '404'}
        title={error ? t('meetings.common.failed') : t('contracts.page.notFound')}
        extra={<Link to="/contracts">{t('contracts.page.back')}</Link>}
      />
    );
  }
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const committee = partyType === 'residents_committee';
  const canEvaluate = (committee || partyType === 'owners_committee') && ['active', 'completed'].includes(contract.status);
  const paidTotal = contract.payments.reduce((sum, p) => sum + Math.round(Number(p.amount) * 100), 0);
  const compounds = contract.servedCompounds.length;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/contracts">
        <ArrowLeftOutlined /> {t('contracts.page.back')}
      </Link>
      <Space wrap align="center">
        <Typography.Title level={1} style={{ margin: 0 }}>
          {contract.title}
        </Typography.Title>
        <ContractStatusTag status={contract.status} />
      </Space>
      {contract.endedReason && <Alert type="warning" showIcon message={t('contracts.page.endedReason', { reason: contract.endedReason })} />}
      {partyType === 'street_office' && (
        <Alert type="info" showIcon message={t('contracts.page.officeApprovals')} action={<Link to="/approvals">{t('contracts.list.approvals')}</Link>} />
      )}

      <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.page.terms')}</Typography.Title>}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
            <Descriptions.Item label={t('contracts.fields.provider')}>{contract.provider.name}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.value')}>{formatMoney(contract.value, language)}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.purchaser')}>
              {t(`contracts.purchaser.${contract.purchaserType}`, { defaultValue: contract.purchaserType })}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.period')}>
              {contract.periodStart && contract.periodEnd
                ? t('contracts.fields.periodRange', { from: formatDate(contract.periodStart, language), to: formatDate(contract.periodEnd, language) })
                : t('contracts.fields.noTerms')}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.served')}>
              {compounds === 0 ? t('contracts.fields.wholeCommunity') : t('contracts.fields.compounds', { n: compounds })}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.paid')}>{formatMoney((paidTotal / 100).toFixed(2), language)}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.awardedAt')}>{formatDateTime(contract.awardedAt, language)}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.fields.assessment')}>
              {contract.assessment
                ? t('contracts.fields.assessmentValue', { grade: t(`contracts.grade.${contract.assessment.grade}`, { defaultValue: contract.assessment.grade }), score: contract.assessment.score.toFixed(1) })
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('contracts.terms.deliverables')} span={2}>
              {contract.deliverables.length ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {contract.deliverables.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </Descriptions>
          <Signatures contract={contract} />
          {committee && <CommitteeActions contract={contract} onChange={reload} />}
        </Space>
      </Card>

      {committee && contract.status === 'draft' && <TermsForm contract={contract} onDone={reload} />}

      <Milestones contract={contract} committee={committee} onChange={reload} />

      <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.payments.title')}</Typography.Title>}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={contract.payments}
          locale={{ emptyText: t('contracts.payments.empty') }}
          columns={[
            { title: t('contracts.payments.milestone'), key: 'milestone', render: (_, p) => contract.milestones.find((m) => m.id === p.milestoneId)?.title ?? '—' },
            { title: t('contracts.payments.amount'), key: 'amount', align: 'right', render: (_, p) => formatMoney(p.amount, language) },
            { title: t('contracts.payments.paidAt'), key: 'paidAt', render: (_, p) => formatDateTime(p.paidAt, language) },
          ]}
        />
      </Card>

      <Amendments contract={contract} committee={committee} onChange={reload} />

      <Evaluations contract={contract} canEvaluate={canEvaluate} onChange={reload} />

      <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.history.title')}</Typography.Title>}>
        <Timeline
          items={[...contract.history]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((step, i) => ({
              key: i,
              children: (
                <>
                  <Typography.Text strong>{stepText(step.action, t)}</Typography.Text>
                  {' · '}
                  {t(`parties.${step.partyType}`, { defaultValue: step.partyType })}
                  {' · '}
                  <Typography.Text type="secondary">{formatDateTime(step.at, language)}</Typography.Text>
                  {step.note && <div>{step.note}</div>}
                </>
              ),
            }))}
        />
      </Card>
    </Space>
  );
}
