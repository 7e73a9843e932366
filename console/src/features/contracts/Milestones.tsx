/**
 * The milestones with what the purchaser will accept, the evidence delivered (documents by reference,
 * attendance, notes, volunteers' shifts) and the payment made on acceptance; the committee accepts a
 * delivered milestone or rejects it with its reason.
 */
import { Alert, Button, Card, Form, Input, List, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { formatDate, formatDateTime, formatMoney, relativeDeadline } from '../../lib/format';
import { FormAlert, useAct, useLanguage } from '../meetings/common';
import { AcceptMilestoneDocument, RejectMilestoneDocument } from './committeeOperations';
import { KindTag, MilestoneStatusTag } from './labels';
import type { Contract, Milestone } from './types';

function Evidence({ milestone }: { milestone: Milestone }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (milestone.evidence.length === 0) return null;
  return (
    <List
      size="small"
      bordered
      header={<Typography.Text strong>{t('contracts.milestones.evidence')}</Typography.Text>}
      dataSource={milestone.evidence}
      renderItem={(item) => (
        <List.Item>
          <Space wrap>
            <KindTag>{t(`contracts.evidenceKind.${item.kind}`, { defaultValue: item.kind })}</KindTag>
            {/* A shift's reference is its id: its hours and time say what it was. */}
            {item.kind === 'document' && item.reference && <Typography.Text code>{item.reference}</Typography.Text>}
            {item.count != null && <span>{t('contracts.milestones.people', { n: item.count })}</span>}
            {item.hours != null && <span>{t('contracts.milestones.hours', { hours: Number(item.hours) })}</span>}
            {item.note && <span>{item.note}</span>}
            {item.at && <Typography.Text type="secondary">{formatDateTime(item.at, language)}</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
  );
}

function RejectDialog({ contract, milestone, onClose }: { contract: Contract; milestone: Milestone; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ reason: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [{ fetching }, reject] = useMutation(RejectMilestoneDocument);
  async function onFinish(values: { reason: string }) {
    const outcome = await act(
      async () => {
        const answer = await reject({ input: { contractId: contract.id, milestoneId: milestone.id, reason: values.reason.trim() } });
        return { errors: answer.data?.rejectMilestone?.errors, failure: answer.error?.message };
      },
      { form, fields: { milestoneId: 'reason', contractId: 'reason' }, done: t('contracts.milestones.rejectedDone') },
    );
    setUnplaced(outcome.unplaced);
    if (outcome.ok) onClose(true);
  }
  return (
    <Modal
      open
      title={t('contracts.milestones.rejectTitle', { title: milestone.title })}
      okText={t('contracts.milestones.reject')}
      okButtonProps={{ danger: true }}
      cancelText={t('contracts.actions.cancel')}
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="reason" label={t('contracts.milestones.reason')} rules={[{ required: true, whitespace: true, message: t('contracts.terms.required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Milestones({ contract, committee, onChange }: { contract: Contract; committee: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [, accept] = useMutation(AcceptMilestoneDocument);
  const [accepting, setAccepting] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Milestone | null>(null);
  const paid = new Map(contract.payments.map((p) => [p.milestoneId, p]));

  async function onAccept(milestone: Milestone) {
    setAccepting(milestone.id);
    const outcome = await act(
      async () => {
        const answer = await accept({ input: { contractId: contract.id, milestoneId: milestone.id } });
        return { errors: answer.data?.acceptMilestone?.errors, failure: answer.error?.message };
      },
      { done: t('contracts.milestones.acceptedDone', { title: milestone.title }) },
    );
    setAccepting(null);
    if (outcome.ok) onChange();
  }

  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.milestones.title')}</Typography.Title>}>
      <List
        itemLayout="vertical"
        dataSource={contract.milestones}
        locale={{ emptyText: t('contracts.fields.noTerms') }}
        renderItem={(milestone) => {
          const owed = ['pending', 'rejected', 'overdue'].includes(milestone.status);
          const due = relativeDeadline(`${milestone.dueOn}T23:59:59+08:00`, language);
          const payment = paid.get(milestone.id);
          const decide = committee && contract.status === 'active' && milestone.status === 'delivered';
          return (
            <List.Item
              key={milestone.id}
              aria-label={milestone.title}
              actions={
                decide
                  ? [
                      <Button key="accept" type="primary" loading={accepting === milestone.id} onClick={() => void onAccept(milestone)}>
                        {t('contracts.milestones.accept')}
                      </Button>,
                      <Button key="reject" danger onClick={() => setRejecting(milestone)}>
                        {t('contracts.milestones.reject')}
                      </Button>,
                    ]
                  : []
              }
            >
              <Space direction="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{milestone.title}</Typography.Text>
                  <MilestoneStatusTag status={milestone.status} />
                  <Typography.Text type="secondary">
                    {t('contracts.milestones.share', { share: Number(milestone.share), amount: formatMoney(shareOf(contract.value, milestone.share), language) })}
                  </Typography.Text>
                </Space>
                <span>
                  {t('contracts.milestones.due', { date: formatDate(milestone.dueOn, language) })}
                  {owed && contract.status === 'active' && (
                    <Typography.Text type={due.overdue || due.urgent ? 'danger' : 'secondary'}> · {due.text}</Typography.Text>
                  )}
                </span>
                <span>
                  {t('contracts.milestones.criteria')}：{milestone.criteria}
                </span>
                {milestone.volunteerSkill && (
                  <span>{t('contracts.milestones.volunteers', { skill: milestone.volunteerSkill, n: milestone.volunteerPlaces ?? 1 })}</span>
                )}
                {milestone.deliveredOn && <span>{t('contracts.milestones.deliveredOn', { date: formatDate(milestone.deliveredOn, language) })}</span>}
                {milestone.status === 'rejected' && milestone.decisionNote && (
                  <Alert type="error" showIcon message={t('contracts.milestones.rejected')} description={milestone.decisionNote} />
                )}
                {payment && (
                  <Typography.Text type="success">
                    {t('contracts.milestones.paid', { amount: formatMoney(payment.amount, language), date: formatDateTime(payment.paidAt, language) })}
                  </Typography.Text>
                )}
                <Evidence milestone={milestone} />
              </Space>
            </List.Item>
          );
        }}
      />
      {rejecting && (
        <RejectDialog
          contract={contract}
          milestone={rejecting}
          onClose={(done) => {
            setRejecting(null);
            if (done) onChange();
          }}
        />
      )}
    </Card>
  );
}

/** A milestone's part of the value, in yuan to the fen (the service apportions the last fen itself). */
export function shareOf(value: string, share: string): string {
  const fen = Math.round(Number(value) * 100);
  const part = Math.round((fen * Number(share)) / 100);
  return (part / 100).toFixed(2);
}
