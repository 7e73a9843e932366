// @parties residents_committee
/**
 * The committee sets a draft contract's terms: the period, the deliverables and the milestones whose
 * shares of the value must sum to exactly 100%, checked here as the contracts service checks them.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { FormAlert, useAct } from '../meetings/common';
import { SetTermsDocument } from './committeeOperations';
import { percentText, termsProblems, totalHundredths } from './shares';
import type { Contract } from './types';

interface MilestoneValues {
  title: string;
  dueOn: string;
  criteria: string;
  share: string;
  volunteerSkill?: string;
  volunteerPlaces?: number | null;
}

interface TermsValues {
  periodStart: string;
  periodEnd: string;
  deliverables: string[];
  milestones: MilestoneValues[];
}

function initialTerms(contract: Contract): TermsValues {
  return {
    periodStart: contract.periodStart ?? '',
    periodEnd: contract.periodEnd ?? '',
    deliverables: contract.deliverables.length ? [...contract.deliverables] : [''],
    milestones: contract.milestones.length
      ? contract.milestones.map((m) => ({
          title: m.title,
          dueOn: m.dueOn,
          criteria: m.criteria,
          share: String(Number(m.share)),
          volunteerSkill: m.volunteerSkill ?? undefined,
          volunteerPlaces: m.volunteerPlaces ?? null,
        }))
      : [{ title: '', dueOn: '', criteria: '', share: '100' }],
  };
}

export default function TermsForm({ contract, onDone }: { contract: Contract; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TermsValues>();
  const [, setTerms] = useMutation(SetTermsDocument);
  const act = useAct();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const milestones = (Form.useWatch('milestones', form) ?? []) as MilestoneValues[];
  const total = totalHundredths(milestones.map((m) => m?.share));

  async function onFinish(values: TermsValues) {
    setSaving(true);
    const outcome = await act(
      async () => {
        const answer = await setTerms({
          input: {
            contractId: contract.id,
            periodStart: values.periodStart,
            periodEnd: values.periodEnd,
            deliverables: values.deliverables.map((d) => d.trim()),
            milestones: values.milestones.map((m) => ({
              title: m.title.trim(),
              dueOn: m.dueOn,
              criteria: m.criteria.trim(),
              share: String(m.share).trim(),
              volunteerSkill: m.volunteerSkill?.trim() || null,
              volunteerPlaces: m.volunteerSkill?.trim() ? (m.volunteerPlaces ?? null) : null,
            })),
          },
        });
        return { errors: answer.data?.setContractTerms?.errors, failure: answer.error?.message };
      },
      { form, done: t('contracts.terms.saved'), fields: { contractId: 'periodStart' } },
    );
    setSaving(false);
    setUnplaced(outcome.unplaced);
    if (outcome.ok) onDone();
  }

  const required = { required: true, whitespace: true, message: t('contracts.terms.required') };
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('contracts.terms.title')}</Typography.Title>}>
      <FormAlert errors={unplaced} />
      <Form<TermsValues> form={form} layout="vertical" initialValues={initialTerms(contract)} onFinish={(v) => void onFinish(v)}>
        <Space wrap size="large">
          <Form.Item name="periodStart" label={t('contracts.terms.periodStart')} rules={[required]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item
            name="periodEnd"
            label={t('contracts.terms.periodEnd')}
            dependencies={['periodStart']}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: async (_, end: string) => {
                  const start = getFieldValue('periodStart') as string;
                  if (start && end && end <= start) throw new Error(t('contracts.terms.periodOrder'));
                },
              }),
            ]}
          >
            <Input type="date" />
          </Form.Item>
        </Space>

        <Typography.Title level={3}>{t('contracts.terms.deliverables')}</Typography.Title>
        <Form.List name="deliverables">
          {(items, { add, remove }) => (
            <>
              {items.map((item, index) => (
                <Space key={item.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    name={item.name}
                    label={t('contracts.terms.deliverable', { n: index + 1 })}
                    rules={[required]}
                    style={{ minWidth: 360 }}
                  >
                    <Input />
                  </Form.Item>
                  {items.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={t('contracts.terms.removeDeliverable', { n: index + 1 })}
                      onClick={() => remove(item.name)}
                    />
                  )}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                {t('contracts.terms.addDeliverable')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={3}>{t('contracts.terms.milestones')}</Typography.Title>
        <Form.List
          name="milestones"
          rules={[
            {
              validator: async (_, rows: MilestoneValues[] | undefined) => {
                if (!rows || rows.length === 0) throw new Error(t('contracts.terms.noMilestones'));
                const problems = termsProblems(form.getFieldValue('periodStart'), form.getFieldValue('periodEnd'), rows);
                const sum = problems.find((p) => p.kind === 'sum');
                if (sum && sum.kind === 'sum') throw new Error(t('contracts.terms.sumNot100', { total: sum.total }));
              },
            },
          ]}
        >
          {(items, { add, remove }, { errors }) => (
            <>
              {items.map((item, index) => (
                <Card
                  key={item.key}
                  size="small"
                  style={{ marginBottom: 12 }}
                  title={t('contracts.terms.milestone', { n: index + 1 })}
                  extra={
                    items.length > 1 && (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        aria-label={t('contracts.terms.removeMilestone', { n: index + 1 })}
                        onClick={() => remove(item.name)}
                      />
                    )
                  }
                >
                  <Space wrap align="start">
                    <Form.Item name={[item.name, 'title']} label={t('contracts.terms.milestoneTitle')} rules={[required]} style={{ minWidth: 280 }}>
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[item.name, 'dueOn']}
                      label={t('contracts.terms.dueOn')}
                      rules={[
                        required,
                        ({ getFieldValue }) => ({
                          validator: async (_, due: string) => {
                            const start = getFieldValue('periodStart') as string;
                            const end = getFieldValue('periodEnd') as string;
                            if (due && start && end && (due < start || due > end)) throw new Error(t('contracts.terms.outsidePeriod'));
                          },
                        }),
                      ]}
                    >
                      <Input type="date" />
                    </Form.Item>
                    <Form.Item
                      name={[item.name, 'share']}
                      label={t('contracts.terms.share')}
                      rules={[
                        required,
                        {
                          validator: async (_, share: string) => {
                            if (share && termsProblems(undefined, undefined, [{ share }]).some((p) => p.kind === 'share'))
                              throw new Error(t('contracts.terms.shareInvalid'));
                          },
                        },
                      ]}
                    >
                      <Input suffix="%" inputMode="decimal" style={{ width: 140 }} />
                    </Form.Item>
                  </Space>
                  <Form.Item name={[item.name, 'criteria']} label={t('contracts.terms.criteria')} rules={[required]}>
                    <Input.TextArea rows={2} />
                  </Form.Item>
                  <Space wrap align="start">
                    <Form.Item name={[item.name, 'volunteerSkill']} label={t('contracts.terms.volunteerSkill')} extra={t('contracts.terms.volunteerHint')}>
                      <Input style={{ width: 220 }} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'volunteerPlaces']} label={t('contracts.terms.volunteerPlaces')}>
                      <InputNumber min={1} max={100} precision={0} />
                    </Form.Item>
                  </Space>
                </Card>
              ))}
              <Space wrap>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', dueOn: '', criteria: '', share: '' })}>
                  {t('contracts.terms.addMilestone')}
                </Button>
                <Typography.Text type={total === 10000 ? 'success' : 'danger'} aria-live="polite">
                  {t('contracts.terms.total', { total: percentText(total) })}
                </Typography.Text>
              </Space>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={saving} style={{ marginTop: 16 }}>
          {t('contracts.terms.save')}
        </Button>
      </Form>
    </Card>
  );
}
