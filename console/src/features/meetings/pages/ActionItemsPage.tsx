/**
 * The action items that follow adopted resolutions, as a board by status: the owner reports progress
 * and completes with evidence, the committee confirms or reopens.
 */
import { Button, Card, Col, Empty, Form, Input, Modal, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import type { ActionItemsQuery } from '../../../gql/graphql';
import { formatDateTime, relativeDeadline } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, usePartyName, StatusTag } from '../common';
import { ConfirmActionItemDocument, ReopenActionItemDocument } from '../committeeOperations';
import { ActionItemsDocument, CompleteActionItemDocument, ReportActionItemProgressDocument } from '../operations';

type Item = NonNullable<NonNullable<NonNullable<ActionItemsQuery['actionItems']>['edges'][number]>['node']>;
type Step = 'progress' | 'complete' | 'confirm' | 'reopen';

const COLUMNS = ['open', 'in_progress', 'completed', 'confirmed'] as const;

interface Entry {
  at?: string;
  action?: string;
  note?: string;
}

function entries(item: Item): Entry[] {
  return item.progress.flatMap((raw) => {
    try {
      const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Entry;
      return [parsed];
    } catch {
      return [];
    }
  });
}

export default function ActionItemsPage() {
  const { t } = useTranslation();
  const cursors = useCursors();
  const [{ data, fetching }, refetch] = useQuery({ query: ActionItemsDocument, variables: { first: 50, after: cursors.after } });
  const [acting, setActing] = useState<{ item: Item; step: Step } | null>(null);
  const items = nodes(data?.actionItems);
  return (
    <section aria-labelledby="action-items-title">
      <Typography.Title level={1} id="action-items-title">
        {t('meetings.board.title')}
      </Typography.Title>
      {!fetching && items.length === 0 && <Empty description={t('meetings.board.empty')} />}
      <Row gutter={[16, 16]}>
        {COLUMNS.map((status) => {
          const column = items.filter((i) => i.status === status);
          return (
            <Col key={status} xs={24} md={12} xl={6}>
              <section aria-labelledby={`column-${status}`} style={{ background: '#fafafa', borderRadius: 8, padding: 12, minHeight: 120 }}>
                <Typography.Title level={4} id={`column-${status}`} style={{ fontSize: 16 }}>
                  {t(`meetings.actionStatus.${status}`)} <StatusTag>{column.length}</StatusTag>
                </Typography.Title>
                <Space direction="vertical" style={{ width: '100%' }}>
                  {column.map((item) => (
                    <ItemCard key={item.id} item={item} onAct={(step) => setActing({ item, step })} />
                  ))}
                </Space>
              </section>
            </Col>
          );
        })}
      </Row>
      <Pager cursors={cursors} hasNextPage={data?.actionItems?.pageInfo.hasNextPage ?? false} endCursor={data?.actionItems?.pageInfo.endCursor} />
      {acting && (
        <StepModal
          item={acting.item}
          step={acting.step}
          onClose={(done) => {
            setActing(null);
            if (done) refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </section>
  );
}

function ItemCard({ item, onAct }: { item: Item; onAct: (step: Step) => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useViewer();
  const partyName = usePartyName();
  const owner = item.owner.id === viewer.party.id;
  const committee = viewer.partyType === 'residents_committee';
  const deadline = relativeDeadline(item.dueAt, language);
  const finished = item.status === 'completed' || item.status === 'confirmed';
  return (
    <Card size="small" title={<span style={{ whiteSpace: 'normal' }}>{item.title}</span>}>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <span>{t('meetings.board.owner', { party: partyName(item.owner) })}</span>
        <span>
          {t('meetings.board.due', { when: formatDateTime(item.dueAt, language) })}{' '}
          {!finished && <StatusTag tone={item.overdueSince || deadline.overdue ? 'red' : deadline.urgent ? 'orange' : 'default'}>{deadline.text}</StatusTag>}
        </span>
        {item.evidence && <span>{t('meetings.board.evidence', { evidence: item.evidence })}</span>}
        {entries(item).length > 0 && (
          <ul style={{ margin: 0, paddingInlineStart: 18 }} aria-label={t('meetings.board.history')}>
            {entries(item).map((e, i) => (
              <li key={i}>
                {e.at ? formatDateTime(e.at, language) : ''} {t(`meetings.actionStep.${e.action ?? 'report'}`)}
                {e.note ? `: ${e.note}` : ''}
              </li>
            ))}
          </ul>
        )}
        <Space wrap>
          {owner && !finished && (
            <>
              <Button size="small" onClick={() => onAct('progress')}>
                {t('meetings.board.reportProgress')}
              </Button>
              <Button size="small" type="primary" onClick={() => onAct('complete')}>
                {t('meetings.board.complete')}
              </Button>
            </>
          )}
          {committee && item.status === 'completed' && (
            <>
              <Button size="small" type="primary" onClick={() => onAct('confirm')}>
                {t('meetings.board.confirm')}
              </Button>
              <Button size="small" onClick={() => onAct('reopen')}>
                {t('meetings.board.reopen')}
              </Button>
            </>
          )}
        </Space>
      </Space>
    </Card>
  );
}

function StepModal({ item, step, onClose }: { item: Item; step: Step; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ note?: string; evidence?: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, progress] = useMutation(ReportActionItemProgressDocument);
  const [, complete] = useMutation(CompleteActionItemDocument);
  const [, confirm] = useMutation(ConfirmActionItemDocument);
  const [, reopen] = useMutation(ReopenActionItemDocument);

  async function onFinish(values: { note?: string; evidence?: string }) {
    const input = { actionItemId: item.id, note: values.note || undefined, evidence: values.evidence || undefined };
    const { ok, unplaced: rest } = await act(
      async () => {
        if (step === 'progress') {
          const r = await progress({ input });
          return { errors: r.data?.reportActionItemProgress?.errors, failure: r.error?.message };
        }
        if (step === 'complete') {
          const r = await complete({ input });
          return { errors: r.data?.completeActionItem?.errors, failure: r.error?.message };
        }
        if (step === 'confirm') {
          const r = await confirm({ input });
          return { errors: r.data?.confirmActionItem?.errors, failure: r.error?.message };
        }
        const r = await reopen({ input });
        return { errors: r.data?.reopenActionItem?.errors, failure: r.error?.message };
      },
      { form, fields: { actionItemId: 'note' }, done: t(`meetings.board.done.${step}`) },
    );
    setUnplaced(rest);
    if (ok) onClose(true);
  }

  return (
    <Modal
      open
      title={`${t(`meetings.board.step.${step}`)}: ${item.title}`}
      okText={t(`meetings.board.step.${step}`)}
      cancelText={t('meetings.common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form form={form} name="step-modal" layout="vertical" onFinish={(v) => void onFinish(v)}>
        {step === 'complete' && (
          <Form.Item
            name="evidence"
            label={t('meetings.board.evidenceLabel')}
            extra={t('meetings.board.evidenceHint')}
            rules={[{ required: true, whitespace: true, message: t('meetings.validation.evidence') }]}
          >
            <Input maxLength={500} />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t('meetings.board.note')}
          rules={step === 'progress' || step === 'reopen' ? [{ required: true, whitespace: true, message: t('meetings.validation.required') }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
