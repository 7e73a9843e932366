import type { CodegenConfig } from '@graphql-codegen/cli';

// Operations are typed against the merged schema (every party's fields); src/test/operations.test.ts
// then validates each one against the schema of every party whose pages use it.
const config: CodegenConfig = {
  schema: 'schema/merged.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*', '!src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { Money: 'string', DateTime: 'string', Date: 'string', JSONString: 'string', ID: 'string' },
      },
    },
  },
};

export default config;
