/**
 * Residents' and owners' evaluations (居民评议): the mean of each dimension, each evaluation, and for
 * the residents' and owners' committees the month's evaluation to give (scores 1 to 5).
 */
import { Button, Card, Descriptions, Form, Input, Rate, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { formatDateTime } from '../../lib/format';
import { FormAlert, useAct, useLanguage } from '../meetings/common';
import { EvaluateDocument } from './evaluationOperations';
import { DIMENSIONS, type Contract, type Dimension } from './types';

type Evaluation = Contract['evaluations'][number];
type ScoresValues = Record<Dimension, number> & { comment?: string };

/** "2027-03" in words: 2027年3月 / Mar 2027. */
function monthText(period: string, language: string): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return period;
  if (language === 'en') return new Date(Date.UTC(year, month - 1, 15)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${year}年${month}月`;
}

function EvaluateForm({ contract, onDone }: { contract: Contract; onDone: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<ScoresValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [{ fetching }, evaluate] = useMutation(EvaluateDocument);
  async function onFinish(values: ScoresValues) {
    const outcome = await act(
      async () => {
        const answer = await evaluate({
          input: {
            contractId: contract.id,
            scores: { quality: values.quality, timeliness: values.timeliness, attitude: values.attitude, effect: values.effect },
            comment: values.comment?.trim() || null,
          },
        });
        return { errors: answer.data?.evaluateContract?.errors, failure: answer.error?.message };
      },
      { form, done: t('contracts.evaluations.done'), fields: Object.fromEntries(DIMENSIONS.map((d) => [`scores.${d}`, d])) },
    );
    setUnplaced(outcome.unplaced);
    if (outcome.ok) {
      form.resetFields();
      onDone();
    }
  }
  return (
    <Form<ScoresValues> form={form} layout="vertical" onFinish={(v) => void onFinish(v)} style={{ marginTop: 16 }}>
      <Typography.Title level={3}>{t('contracts.evaluations.give')}</Typography.Title>
      <FormAlert errors={unplaced} />
      <Space wrap size="large">
        {DIMENSIONS.map((d) => (
          <Form.Item key={d} name={d} label={t(`contracts.dimension.${d}`)} rules={[
              {
                // Not `required`: Ant Design would put aria-required on the stars' list, which allows none.
                validator: async (_, score?: number) => {
                  if (!score) throw new Error(t('contracts.evaluations.scoreRequired'));
                },
              },
            ]}>
            <Rate aria-label={t(`contracts.dimension.${d}`)} />
          </Form.Item>
        ))}
      </Space>
      <Form.Item name="comment" label={t('contracts.evaluations.comment')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={fetching}>
        {t('contracts.evaluations.submit')}
      </Button>
    </Form>
  );
}

export default function Evaluations({ contract, canEvaluate, onChange }: { contract: Contract; canEvaluate: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const summary = contract.evaluationSummary;
  const score = (v: number | null | undefined) => (v == null ? '—' : v.toFixed(1));
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.evaluations.title')}</Typography.Title>}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 5 }}>
        <Descriptions.Item label={t('contracts.evaluations.overall')}>
          {t('contracts.evaluations.overallValue', { score: score(summary.overall), count: summary.count })}
        </Descriptions.Item>
        {DIMENSIONS.map((d) => (
          <Descriptions.Item key={d} label={t(`contracts.dimension.${d}`)}>
            {score(summary.means[d])}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Table<Evaluation>
        rowKey="id"
        size="small"
        style={{ marginTop: 16 }}
        pagination={false}
        dataSource={[...contract.evaluations].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
        locale={{ emptyText: t('contracts.evaluations.empty') }}
        scroll={{ x: 720 }}
        columns={[
          { title: t('contracts.evaluations.month'), key: 'period', render: (_, e) => monthText(e.period, language) },
          { title: t('contracts.evaluations.by'), key: 'by', render: (_, e) => t(`parties.${e.evaluatorType}`, { defaultValue: e.evaluatorType }) },
          ...DIMENSIONS.map((d) => ({ title: t(`contracts.dimension.${d}`), key: d, render: (_: unknown, e: Evaluation) => score(e.scores[d]) })),
          { title: t('contracts.evaluations.comment'), key: 'comment', render: (_, e) => e.comment ?? '—' },
          { title: t('contracts.evaluations.at'), key: 'at', render: (_, e) => formatDateTime(e.createdAt, language) },
        ]}
      />
      {canEvaluate && <EvaluateForm contract={contract} onDone={onChange} />}
    </Card>
  );
}
