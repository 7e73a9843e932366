/** The rewards shop: what the volunteer's points buy, redeemed here, and what was redeemed lately. */
import { Alert, Button, Card, Empty, Form, InputNumber, List, Modal, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { VolunteerRewardsQuery } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { Loading, nodesOf, Pager, useAct, useCursors, useLanguage } from '../../bidding/kit';
import { VolunteerRedeemRewardDocument, VolunteerRewardsDocument } from '../operations';

type Reward = NonNullable<NonNullable<VolunteerRewardsQuery['rewards']>['edges'][number]>['node'] & {};

function RedeemDialog({ reward, balance, onClose }: { reward: Reward; balance: number; onClose: (redeemed: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ quantity: number }>();
  const quantity = Form.useWatch('quantity', form) ?? 1;
  const [{ fetching }, redeem] = useMutation(VolunteerRedeemRewardDocument);
  const act = useAct();
  const most = Math.max(1, Math.min(reward.stock, Math.floor(balance / Math.max(1, reward.points))));
  return (
    <Modal
      open
      title={t('volunteering.rewards.redeemTitle', { name: reward.name })}
      okText={t('volunteering.rewards.redeemConfirm')}
      okButtonProps={{ size: 'large' }}
      cancelButtonProps={{ size: 'large' }}
      cancelText={t('bidding.kit.cancel')}
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ quantity: 1 }}
        onFinish={(values) =>
          void act(
            async () => {
              const answer = await redeem({ input: { rewardId: reward.id, quantity: values.quantity } });
              return { errors: answer.data?.redeemReward?.errors, failed: Boolean(answer.error) };
            },
            { form, done: t('volunteering.rewards.redeemed') },
          ).then((outcome) => outcome.ok && onClose(true))
        }
      >
        <Form.Item
          name="quantity"
          label={t('volunteering.rewards.quantity')}
          rules={[{ required: true, message: t('volunteering.rewards.quantityRequired') }]}
          extra={t('volunteering.rewards.cost', { points: reward.points * quantity, balance })}
        >
          <InputNumber min={1} max={most} precision={0} size="large" style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function RewardsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({ query: VolunteerRewardsDocument, variables: { first: 20, after: cursors.after } });
  const [redeeming, setRedeeming] = useState<Reward | null>(null);
  const balance = data?.pointsAccount.balance ?? 0;
  const rewards = nodesOf(data?.rewards);
  const redemptions = nodesOf(data?.redemptions);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('volunteering.menu.rewards')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={t('bidding.kit.loadFailed')} />}
      <Card>
        <Statistic title={t('volunteering.points.balance')} value={balance} loading={fetching && !data} />
      </Card>
      {fetching && !data ? (
        <Loading />
      ) : rewards.length === 0 ? (
        <Empty description={t('volunteering.rewards.none')} />
      ) : (
        <List
          dataSource={rewards}
          split={false}
          renderItem={(reward) => {
            const affordable = reward.points <= balance;
            return (
              <List.Item style={{ display: 'block', padding: '0 0 12px' }}>
                <Card data-testid="reward">
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Space wrap>
                      <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
                        {reward.name}
                      </Typography.Title>
                      <Tag>{t(`volunteering.rewardKind.${reward.kind}`, { defaultValue: reward.kind })}</Tag>
                    </Space>
                    <span>{t('volunteering.rewards.price', { points: reward.points })}</span>
                    <Typography.Text type="secondary">{reward.stock > 0 ? t('volunteering.rewards.stock', { stock: reward.stock }) : t('volunteering.rewards.soldOut')}</Typography.Text>
                    <Button type="primary" size="large" block disabled={reward.stock === 0 || !affordable} onClick={() => setRedeeming(reward)}>
                      {reward.stock === 0 ? t('volunteering.rewards.soldOut') : affordable ? t('volunteering.rewards.redeem') : t('volunteering.rewards.notEnough')}
                    </Button>
                  </Space>
                </Card>
              </List.Item>
            );
          }}
        />
      )}
      <Pager cursors={cursors} pageInfo={data?.rewards?.pageInfo} />
      <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>{t('volunteering.rewards.history')}</Typography.Title>}>
        <List
          dataSource={redemptions}
          locale={{ emptyText: t('volunteering.rewards.noHistory') }}
          renderItem={(r) => (
            <List.Item extra={<Typography.Text type="danger">−{r.points}</Typography.Text>}>
              <List.Item.Meta title={t('volunteering.rewards.line', { name: r.rewardName, quantity: r.quantity })} description={formatDateTime(r.redeemedAt, language)} />
            </List.Item>
          )}
        />
      </Card>
      {redeeming && (
        <RedeemDialog
          reward={redeeming}
          balance={balance}
          onClose={(redeemed) => {
            setRedeeming(null);
            if (redeemed) refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Space>
  );
}
