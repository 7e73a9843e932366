import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUEST_ERRORS, USER_ERRORS } from './errorCatalogue';
import { errorText } from './errors';

/** The values of the schema's UserErrorCode enum, as the API answers them. */
function schemaCodes(): string[] {
  const sdl = readFileSync(join(__dirname, '..', '..', 'schema', 'merged.graphql'), 'utf-8');
  const body = /enum UserErrorCode \{([\s\S]*?)\n\}/.exec(sdl)?.[1] ?? '';
  return body
    .replace(/"""[\s\S]*?"""/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

describe('the error catalogue', () => {
  it('has words for every code the API may answer', () => {
    const codes = schemaCodes();
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.filter((code) => !(code in USER_ERRORS))).toEqual([]);
  });

  it('says each in both languages', () => {
    for (const [code, words] of Object.entries({ ...USER_ERRORS, ...REQUEST_ERRORS })) {
      expect(words['zh-CN'], code).toMatch(/\p{Script=Han}/u);
      expect(words.en, code).toMatch(/^[A-Z]/);
    }
  });

  it("falls back to the API's sentence for a code it does not know", () => {
    expect(errorText({ code: 'throttled', message: 'too many' }, 'zh-CN')).toBe('登录失败次数过多，请稍后再试');
    expect(errorText({ code: 'limit_exceeded', message: 'x' }, 'en')).toMatch(/limits/);
    expect(errorText({ code: 'brand_new_code', message: 'Something new' }, 'zh-CN')).toBe('Something new');
  });
});
