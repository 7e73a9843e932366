/**
 * Which parties each GraphQL document serves, and whether each of their schemas accepts it.
 *
 * Codegen types the documents against the merged schema (every party's fields); this check is what
 * stops a page from asking for a field its party cannot see. A document is checked against:
 * - the parties a file names in a comment, `@parties residents_committee street_office` (or `all`,
 *   `anonymous`), when it does;
 * - else, in features/<f>/pages/<Page>.tsx, the parties of the routes showing that page;
 * - else, in any other file of features/<f>/, every party of that feature's routes.
 * A public route's parties are the anonymous schema.
 */
import { buildSchema, parse, validate, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, Kind, visit } from 'graphql';
import { PARTY_TYPES } from '../app/parties';
import type { FeatureRoute } from '../app/registry';

export type Audience = (typeof PARTY_TYPES)[number] | 'anonymous';

export interface Source {
  file: string; // relative to src/, e.g. 'features/home/pages/Home.tsx'
  text: string;
}

export interface Problem {
  file: string;
  audience: Audience | null;
  message: string;
}

const DOCUMENT = /graphql\(\s*`([\s\S]*?)`\s*\)/g;
const ANNOTATION = /@parties\s+([a-z_ ]+)/;

export function documentsIn(text: string): string[] {
  return [...text.matchAll(DOCUMENT)].map((m) => m[1] ?? '');
}

function routeAudience(route: FeatureRoute): Audience[] {
  return route.public ? ['anonymous'] : [...route.parties];
}

/** The schemas a file's documents must satisfy; null when nothing says (an error for the caller). */
export function audienceOf(source: Source, routesByFeature: Record<string, FeatureRoute[]>): Audience[] | null {
  const annotated = ANNOTATION.exec(source.text);
  if (annotated?.[1]) {
    const names = annotated[1].trim().split(/\s+/);
    return names.includes('all') ? [...PARTY_TYPES] : (names as Audience[]);
  }
  const feature = /^features\/([^/]+)\/(.*)$/.exec(source.file);
  if (!feature?.[1]) return null;
  const routes = routesByFeature[feature[1]] ?? [];
  const page = /^pages\/([^/]+)\.tsx$/.exec(feature[2] ?? '');
  const relevant = page ? routes.filter((r) => r.page === page[1]) : routes;
  const audience = new Set(relevant.flatMap(routeAudience));
  return audience.size > 0 ? [...audience] : null;
}

function fragmentsUsed(document: DocumentNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const needed = new Map<string, FragmentDefinitionNode>();
  const pending = [document as DocumentNode | FragmentDefinitionNode];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const name = node.name.value;
        const fragment = fragments.get(name);
        if (fragment && !needed.has(name) && !document.definitions.includes(fragment)) {
          needed.set(name, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...needed.values()];
}

export function checkOperations(
  sources: Source[],
  routesByFeature: Record<string, FeatureRoute[]>,
  schemaText: (audience: Audience) => string,
): { problems: Problem[]; checked: number } {
  const schemas = new Map<Audience, GraphQLSchema>();
  const schema = (audience: Audience) => {
    let built = schemas.get(audience);
    if (!built) schemas.set(audience, (built = buildSchema(schemaText(audience))));
    return built;
  };
  const parsed: { file: string; document: DocumentNode }[] = [];
  const problems: Problem[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const source of sources) {
    for (const text of documentsIn(source.text)) {
      try {
        const document = parse(text);
        parsed.push({ file: source.file, document });
        for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      } catch (error) {
        problems.push({ file: source.file, audience: null, message: String(error) });
      }
    }
  }
  let checked = 0;
  for (const { file, document } of parsed) {
    if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) continue;
    const audience = audienceOf(sources.find((s) => s.file === file)!, routesByFeature);
    if (!audience) {
      problems.push({ file, audience: null, message: 'no route shows this file and it has no @parties comment' });
      continue;
    }
    const full: DocumentNode = { ...document, definitions: [...document.definitions, ...fragmentsUsed(document, fragments)] };
    for (const party of audience) {
      checked += 1;
      for (const error of validate(schema(party), full)) problems.push({ file, audience: party, message: error.message });
    }
  }
  return { problems, checked };
}
