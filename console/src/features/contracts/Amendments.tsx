/**
 * Each amendment beside the terms it changes (the terms in force on one side, the proposed on the
 * other), with who has signed it and the office's approval; the committee signs or rejects it.
 */
import { Button, Card, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { formatDate, formatDateTime, formatMoney, type Language } from '../../lib/format';
import { FormAlert, useAct, useLanguage } from '../meetings/common';
import { RejectAmendmentDocument, SignAmendmentDocument } from './committeeOperations';
import { AmendmentStatusTag } from './labels';
import type { Amendment, Contract } from './types';

interface WireMilestone {
  title?: string;
  due_on?: string;
  share?: string | number;
  criteria?: string;
}

/** The changes as the service keeps them: snake_case names, amounts and dates as text. */
function parseChanges(changes: unknown): Record<string, unknown> {
  if (typeof changes === 'string') {
    try {
      const parsed: unknown = JSON.parse(changes);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return changes && typeof changes === 'object' ? (changes as Record<string, unknown>) : {};
}

export interface ChangeRow {
  term: string;
  inForce: string[];
  proposed: string[];
}

/** The rows of the side-by-side comparison: only the terms the amendment changes. */
export function changeRows(contract: Contract, amendment: Amendment, t: (key: string, options?: Record<string, unknown>) => string, language: Language): ChangeRow[] {
  const changes = parseChanges(amendment.changes);
  const rows: ChangeRow[] = [];
  const date = (d: unknown) => (typeof d === 'string' && d ? formatDate(d, language) : '—');
  if (typeof changes.value === 'string' || typeof changes.value === 'number') {
    rows.push({ term: t('contracts.fields.value'), inForce: [formatMoney(contract.value, language)], proposed: [formatMoney(String(changes.value), language)] });
  }
  if ('period_start' in changes) {
    rows.push({ term: t('contracts.terms.periodStart'), inForce: [date(contract.periodStart)], proposed: [date(changes.period_start)] });
  }
  if ('period_end' in changes) {
    rows.push({ term: t('contracts.terms.periodEnd'), inForce: [date(contract.periodEnd)], proposed: [date(changes.period_end)] });
  }
  if (Array.isArray(changes.deliverables)) {
    rows.push({ term: t('contracts.terms.deliverables'), inForce: [...contract.deliverables], proposed: changes.deliverables.map(String) });
  }
  if (Array.isArray(changes.milestones)) {
    const line = (title: string, share: string | number, due: string) => t('contracts.amendments.milestoneLine', { title, share: Number(share), due });
    rows.push({
      term: t('contracts.terms.milestones'),
      inForce: contract.milestones.map((m) => line(m.title, m.share, date(m.dueOn))),
      proposed: (changes.milestones as WireMilestone[]).map((m) => line(m.title ?? '', m.share ?? '', date(m.due_on))),
    });
  }
  return rows;
}

function Lines({ lines }: { lines: string[] }) {
  if (lines.length <= 1) return <>{lines[0] ?? '—'}</>;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 20 }}>
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

function RejectDialog({ contract, amendment, onClose }: { contract: Contract; amendment: Amendment; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ reason: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [{ fetching }, reject] = useMutation(RejectAmendmentDocument);
  async function onFinish(values: { reason: string }) {
    const outcome = await act(
      async () => {
        const answer = await reject({ input: { contractId: contract.id, amendmentId: amendment.id, reason: values.reason.trim() } });
        return { errors: answer.data?.rejectAmendment?.errors, failure: answer.error?.message };
      },
      { form, fields: { amendmentId: 'reason', contractId: 'reason' }, done: t('contracts.amendments.rejected') },
    );
    setUnplaced(outcome.unplaced);
    if (outcome.ok) onClose(true);
  }
  return (
    <Modal
      open
      title={t('contracts.amendments.rejectTitle', { number: amendment.number })}
      okText={t('contracts.amendments.reject')}
      okButtonProps={{ danger: true }}
      cancelText={t('contracts.actions.cancel')}
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="reason" label={t('contracts.amendments.reason')} rules={[{ required: true, whitespace: true, message: t('contracts.terms.required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Amendments({ contract, committee, onChange }: { contract: Contract; committee: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [, sign] = useMutation(SignAmendmentDocument);
  const [rejecting, setRejecting] = useState<Amendment | null>(null);
  // Version 0 is the original terms, in force from the start: not an amendment.
  const amendments = contract.amendments.filter((a) => a.number > 0).sort((a, b) => b.number - a.number);

  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.amendments.title')}</Typography.Title>}>
      {amendments.length === 0 ? (
        <Typography.Paragraph>{t('contracts.amendments.empty')}</Typography.Paragraph>
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          {amendments.map((amendment) => {
            const pending = amendment.status === 'pending';
            const canSign = committee && pending && !amendment.signedBy.includes('purchaser');
            return (
              <section key={amendment.id} aria-label={t('contracts.amendments.number', { number: amendment.number })}>
                <Space wrap align="center">
                  <Typography.Title level={3} style={{ margin: 0 }}>
                    {t('contracts.amendments.number', { number: amendment.number })}
                  </Typography.Title>
                  <AmendmentStatusTag status={amendment.status} />
                  <Typography.Text type="secondary">
                    {t('contracts.amendments.signedBy', {
                      sides: amendment.signedBy.length ? amendment.signedBy.map((s) => t(`contracts.side.${s}`, { defaultValue: s })).join('、') : t('contracts.amendments.nobody'),
                    })}
                  </Typography.Text>
                  {amendment.approvedByOfficeAt && (
                    <Typography.Text type="secondary">{t('contracts.amendments.officeApproved', { at: formatDateTime(amendment.approvedByOfficeAt, language) })}</Typography.Text>
                  )}
                </Space>
                <Typography.Paragraph style={{ marginTop: 8 }}>
                  <Typography.Text strong>{t('contracts.amendments.rationale')}：</Typography.Text>
                  {amendment.rationale}
                </Typography.Paragraph>
                {amendment.reason && (
                  <Typography.Paragraph type="danger">
                    {t('contracts.amendments.rejectedBecause', { reason: amendment.reason })}
                  </Typography.Paragraph>
                )}
                <Table<ChangeRow>
                  rowKey="term"
                  size="small"
                  pagination={false}
                  bordered
                  dataSource={changeRows(contract, amendment, t, language)}
                  locale={{ emptyText: t('contracts.amendments.noChanges') }}
                  columns={[
                    { title: t('contracts.amendments.term'), dataIndex: 'term', width: 140 },
                    { title: t('contracts.amendments.inForce'), key: 'inForce', render: (_, row) => <Lines lines={row.inForce} /> },
                    { title: t('contracts.amendments.proposed'), key: 'proposed', render: (_, row) => <Lines lines={row.proposed} /> },
                  ]}
                />
                {committee && pending && (
                  <Space style={{ marginTop: 12 }}>
                    {canSign && (
                      <Button
                        type="primary"
                        onClick={() =>
                          void act(
                            async () => {
                              const answer = await sign({ input: { contractId: contract.id, amendmentId: amendment.id } });
                              return { errors: answer.data?.signAmendment?.errors, failure: answer.error?.message };
                            },
                            { done: t('contracts.amendments.signed') },
                          ).then((o) => o.ok && onChange())
                        }
                      >
                        {t('contracts.amendments.sign')}
                      </Button>
                    )}
                    <Button danger onClick={() => setRejecting(amendment)}>
                      {t('contracts.amendments.reject')}
                    </Button>
                  </Space>
                )}
              </section>
            );
          })}
        </Space>
      )}
      {rejecting && (
        <RejectDialog
          contract={contract}
          amendment={rejecting}
          onClose={(done) => {
            setRejecting(null);
            if (done) onChange();
          }}
        />
      )}
    </Card>
  );
}
