import { screen, within } from '@testing-library/react';
import { graphqlAnswer, renderWithProviders, testViewer } from '../../../test/render';
import Home from './Home';

const edges = <T,>(...nodes: T[]) => ({ edges: nodes.map((node) => ({ node })) });
const HOUR = 3600_000;
const at = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

const committeeAnswer = {
  upcoming: edges({
    __typename: 'Meeting',
    id: 'TWVldGluZzoy',
    title: '十二月联席会议',
    startsAt: at(72),
    agendaDeadline: at(20),
    resolutions: edges(),
  }),
  past: edges({
    __typename: 'Meeting',
    id: 'TWVldGluZzox',
    title: '十一月联席会议',
    startsAt: at(-240),
    minutes: { status: 'circulating', signedBy: [{ id: 'UGFydHk6Mg==' }] },
    resolutions: edges({ id: 'UmVzOjE=', title: '加装电梯方案', status: 'proposed' }, { id: 'UmVzOjI=', title: '垃圾分类', status: 'adopted' }),
  }),
  schedulingPolls: edges(),
  openItems: edges({ id: 'QUk6MQ==', title: '修缮车棚', dueAt: at(-30), overdueSince: at(-30), owner: { id: 'UGFydHk6Mw==', name: '安居物业' } }),
  startedItems: edges(),
  doneItems: edges(),
  evaluating: edges({ id: 'UHJvajox', title: '居家养老服务', openedAt: at(-48) }),
  complaints: edges(),
  contracts: edges({
    id: 'Q29udHJhY3Q6MQ==',
    title: '社区助老服务合同',
    milestones: [
      { id: 'TTox', title: '第一季度服务', dueOn: '2000-01-01', status: 'accepted' },
      { id: 'TToy', title: '第二季度服务', dueOn: new Date(Date.now() + 10 * 24 * HOUR).toISOString().slice(0, 10), status: 'pending' },
    ],
  }),
};

describe('the home page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the committee what needs its action, from one request", async () => {
    const requests: { query: string; variables: Record<string, unknown> }[] = [];
    renderWithProviders(<Home />, {
      viewer: testViewer(),
      fetch: (_url, init) => {
        requests.push(JSON.parse(String(init.body)));
        return graphqlAnswer({ data: committeeAnswer });
      },
    });
    expect(await screen.findByText('十二月联席会议')).toBeInTheDocument();
    const section = (name: string) => screen.getByRole('heading', { name: new RegExp(name) }).closest('.ant-card') as HTMLElement;
    expect(within(section('可提交议题的会议')).getByText(/还剩 \d+ 小时/)).toBeInTheDocument();
    expect(within(section('待签认的会议纪要')).getByText('十一月联席会议')).toBeInTheDocument();
    expect(within(section('待表决的决议')).getByText('加装电梯方案')).toBeInTheDocument();
    expect(within(section('待表决的决议')).queryByText('垃圾分类')).toBeNull();
    expect(within(section('待确认或已逾期的行动事项')).getByText(/已逾期 \d+ 小时/)).toBeInTheDocument();
    expect(within(section('30 天内到期的合同节点')).getByText('第二季度服务')).toBeInTheDocument();
    expect(within(section('30 天内到期的合同节点')).queryByText('第一季度服务')).toBeNull();
    expect(within(section('评审中的项目')).getByText('居家养老服务')).toBeInTheDocument();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query).toMatch(/query CommitteeHome/);
    expect(typeof requests[0]?.variables.now).toBe('string');
    expect(document.body.textContent).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // no ISO instant shown
  });

  it('shows a volunteer the offers to answer and the next shifts', async () => {
    const shift = { id: 'U2hpZnQ6MQ==', startsAt: '2026-12-05T01:00:00Z', endsAt: '2026-12-05T03:00:00Z', request: { title: '陪老人就医', location: '幸福社区卫生站' } };
    renderWithProviders(<Home />, {
      viewer: testViewer({ partyType: 'volunteer', party: { id: 'UGFydHk6OQ==', name: '王小明', type: 'VOLUNTEER' } }),
      fetch: () =>
        graphqlAnswer({
          data: {
            offers: edges({ ...shift, id: 'T2ZmZXI6MQ==', respondBy: at(5), request: { title: '助餐送餐', location: '3号楼' } }),
            booked: edges(shift),
            working: edges(),
          },
        }),
    });
    expect(await screen.findByText('助餐送餐')).toBeInTheDocument();
    expect(screen.getByText('陪老人就医')).toBeInTheDocument();
    expect(screen.getByText('2026年12月5日 09:00–11:00 · 幸福社区卫生站')).toBeInTheDocument();
  });

  it("says so when the to-do list cannot be read", async () => {
    renderWithProviders(<Home />, { viewer: testViewer(), fetch: () => graphqlAnswer({ errors: [{ message: 'boom', extensions: { code: 'internal_error' } }] }) });
    expect(await screen.findByText('无法读取待办事项')).toBeInTheDocument();
    expect(screen.getByText('服务器内部错误，请稍后再试')).toBeInTheDocument();
  });
});
