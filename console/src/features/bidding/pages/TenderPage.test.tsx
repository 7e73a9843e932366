import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { graphqlAnswer, renderWithProviders, testViewer } from '../../../test/render';
import { digestIn, groupedDigest } from '../receipt';
import TenderPage from './TenderPage';

const DIGEST = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

function project(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'Project',
    id: 'UHJvamVjdDox',
    ocid: 'ocds-gz-1',
    title: '长者助餐',
    description: '工作日送餐',
    category: 'elderly_care',
    budget: '60000.00',
    bidDeadline: '2099-01-01T12:00:00+08:00',
    status: 'published',
    requiredQualifications: [],
    periodStart: null,
    periodEnd: null,
    standstillDays: 5,
    minValidBids: 1,
    purchaser: 'residents_committee',
    scoringRules: '价格分按最低价计算',
    openedAt: null,
    endedReason: null,
    weights: { price: 50, planQuality: 25, experience: 15, reputation: 10 },
    bidDigests: [],
    bids: { edges: [] },
    award: null,
    results: [],
    ...overrides,
  };
}

const BID = {
  id: 'QmlkOjE=',
  price: '56800.00',
  plan: '两名社工',
  team: '社工两名',
  timeline: '两周内开始',
  digest: DIGEST,
  status: 'submitted',
  submittedAt: '2098-12-30T10:00:00+08:00',
};

function fill(price: string) {
  fireEvent.change(screen.getByLabelText('报价'), { target: { value: price } });
  fireEvent.change(screen.getByLabelText('服务方案'), { target: { value: '两名社工' } });
  fireEvent.change(screen.getByLabelText('服务团队'), { target: { value: '社工两名' } });
  fireEvent.change(screen.getByLabelText('实施进度'), { target: { value: '两周内开始' } });
}

const viewer = testViewer({ partyType: 'social_organisation' });

describe('the receipt', () => {
  it('finds the digest written in a receipt file and groups it for the eye', () => {
    expect(digestIn(`项目: 长者助餐\nSHA-256: ${DIGEST.toUpperCase()}\n`)).toBe(DIGEST);
    expect(digestIn('no digest here 1234')).toBeNull();
    expect(groupedDigest(DIGEST).split(' ')).toHaveLength(8);
  });
});

describe('the tender page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refuses a price over the budget under the field without asking the API', async () => {
    const sent: string[] = [];
    renderWithProviders(<TenderPage />, {
      viewer,
      path: '/tenders/:projectId',
      at: '/tenders/UHJvamVjdDox',
      fetch: (_url, init) => {
        const body = JSON.parse(String(init.body)) as { query: string };
        sent.push(body.query);
        return graphqlAnswer({ data: { node: project() } });
      },
    });
    await screen.findByRole('heading', { name: '长者助餐' });
    fill('60000.01');
    await userEvent.setup().click(screen.getByRole('button', { name: '提交投标' }));
    expect(await screen.findByText('报价超出预算 ¥60,000.00')).toBeInTheDocument();
    expect(sent.some((q) => q.includes('submitBid'))).toBe(false);
  });

  it("puts the API's error under the field it names, then shows the receipt of the bid made", async () => {
    let submitted = 0;
    renderWithProviders(<TenderPage />, {
      viewer,
      path: '/tenders/:projectId',
      at: '/tenders/UHJvamVjdDox',
      fetch: (_url, init) => {
        const body = JSON.parse(String(init.body)) as { query: string };
        if (body.query.includes('submitBid')) {
          submitted += 1;
          return graphqlAnswer({
            data: {
              submitBid:
                submitted === 1
                  ? { errors: [{ field: 'plan', code: 'required', message: 'plan: required' }], bid: null }
                  : { errors: [], bid: BID },
            },
          });
        }
        return graphqlAnswer({ data: { node: project(submitted > 1 ? { bids: { edges: [{ node: BID }] } } : {}) } });
      },
    });
    await screen.findByRole('heading', { name: '长者助餐' });
    fill('56800');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '提交投标' }));
    const planField = screen.getByLabelText('服务方案').closest('.ant-form-item');
    await waitFor(() => expect(planField).toHaveTextContent('此项必填'));

    await user.click(screen.getByRole('button', { name: '提交投标' }));
    expect(await screen.findByTestId('bid-digest')).toHaveTextContent(groupedDigest(DIGEST));
    expect(screen.getByTestId('bid-receipt')).toHaveTextContent('¥56,800.00');
    expect(screen.getByRole('button', { name: /下载回执文件/ })).toBeInTheDocument();
  });

  it('at the opening says whether its receipt is among the published digests', async () => {
    renderWithProviders(<TenderPage />, {
      viewer,
      path: '/tenders/:projectId',
      at: '/tenders/UHJvamVjdDox',
      fetch: () =>
        graphqlAnswer({
          data: {
            node: project({
              status: 'evaluating',
              openedAt: '2099-01-01T12:00:05+08:00',
              bidDigests: ['0'.repeat(64), DIGEST],
              bids: { edges: [{ node: BID }] },
            }),
          },
        }),
    });
    expect(await screen.findByText('贵单位的投标摘要在公布的摘要之中：投标已原样参加开标。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '提交投标' })).toBeNull();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('或粘贴回执摘要'), 'f'.repeat(64));
    await user.click(screen.getByRole('button', { name: /核\s*对/ }));
    expect(await screen.findByRole('status')).toHaveTextContent('不在公布的摘要之中');
  });
});
