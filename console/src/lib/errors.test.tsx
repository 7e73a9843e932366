import { act, render, screen } from '@testing-library/react';
import { Form, Input, type FormInstance } from 'antd';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import '../app/i18n';
import { describeError, namePath, showApiErrors } from './errors';

function Terms({ onForm }: { onForm: (form: FormInstance) => void }) {
  const [form] = Form.useForm();
  onForm(form);
  return (
    <Form form={form}>
      <Form.Item name="title" label="标题">
        <Input />
      </Form.Item>
      <Form.Item name={['milestones', 0, 'share']} label="比例">
        <Input />
      </Form.Item>
    </Form>
  );
}

describe('API errors next to their fields', () => {
  it('reads a dotted field as a form name path', () => {
    expect(namePath('milestones.0.share')).toEqual(['milestones', 0, 'share']);
  });

  it('puts each error under the field it names and returns the rest', async () => {
    let form: FormInstance | undefined;
    render(<Terms onForm={(f) => (form = f)} />);
    let general: string[] = [];
    await act(async () => {
      general = showApiErrors(
        form!,
        [
          { field: 'title', code: 'required', message: 'title is required' },
          { field: 'milestones.0.share', code: 'not_positive', message: 'share must be positive' },
          { field: null, code: 'shares_not_100', message: 'shares do not sum to 100' },
          { field: 'deliverables', code: 'required', message: 'deliverables needed' },
        ],
        'zh-CN',
      );
    });
    expect(await screen.findByText('此项必填')).toBeInTheDocument();
    expect(screen.getByText('数值必须大于零')).toBeInTheDocument();
    expect(general).toEqual(['各节点比例之和必须为 100%', '此项必填']);
    expect(form!.getFieldError('title')).toEqual(['此项必填']);
  });
});

describe('a failed request in words', () => {
  it('uses the catalogue for the gateway code, the wait when rate-limited, and says when the network is down', () => {
    const refused = new CombinedError({ graphQLErrors: [new GraphQLError('sign in again', { extensions: { code: 'session_ended' } })] });
    expect(describeError(refused, 'zh-CN')).toBe('登录已结束，请重新登录');
    const limited = new CombinedError({
      graphQLErrors: [new GraphQLError('too many requests', { extensions: { code: 'limit_exceeded', retryAfter: 1.2 } })],
    });
    expect(describeError(limited, 'en')).toBe('Too many requests; try again in 2 s');
    expect(describeError(new CombinedError({ networkError: new TypeError('Failed to fetch') }), 'zh-CN')).toBe('无法连接服务器，请检查网络后重试');
  });
});
