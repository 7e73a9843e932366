import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import i18n from 'i18next';
import { describe, expect, it } from 'vitest';
import '../../app/i18n';
import { argumentLines, recordType } from './arguments';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

// Every mutation any party may ask is named in words in the log: a new one fails this test.
const merged = readFileSync(resolve(__dirname, '../../../schema/merged.graphql'), 'utf8');
const mutationBlock = /^type Mutation \{([\s\S]*?)^\}/m.exec(merged)?.[1] ?? '';
const mutations = [...mutationBlock.matchAll(/^ {2}([a-zA-Z]+)[(:]/gm)].map((m) => m[1] ?? '');

describe('the audit log in words', () => {
  it('names every mutation of the schema in both languages', () => {
    expect(mutations.length).toBeGreaterThan(50);
    expect(mutations.filter((m) => !(m in zhCN.action))).toEqual([]);
    expect(mutations.filter((m) => !(m in en.action))).toEqual([]);
  });

  it('says a record by its kind and a time in Shanghai, never the ID or the ISO string', async () => {
    await i18n.changeLanguage('zh-CN');
    const meeting = btoa('Meeting:3f2b8c1e-0000-4000-8000-000000000001');
    expect(recordType(meeting)).toBe('Meeting');
    expect(recordType('plain words')).toBeNull();
    const lines = argumentLines(
      JSON.stringify({ input: { meetingId: meeting, startsAt: '2026-12-01T06:00:00+00:00', password: '[redacted]', places: 2 } }),
      i18n.t,
      'zh-CN',
    );
    expect(lines).toEqual([
      { key: 'meetingId', value: '〔会议〕' },
      { key: 'startsAt', value: '2026年12月1日 14:00' },
      { key: 'password', value: '（已隐去）' },
      { key: 'places', value: '2' },
    ]);
  });
});
